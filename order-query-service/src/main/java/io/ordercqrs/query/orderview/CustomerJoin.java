package io.ordercqrs.query.orderview;

import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.projection.AfterWrite;
import io.ordercqrs.query.projection.AppliedBatch;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Keeps customers' details in their order views: a customer the batch touched, who may have order
 * views already (their document existed before the batch, if only as the placeholder an order view
 * left), has their details copied into every order view that holds older ones; and an order view
 * the batch wrote gets its customer's details again if a concurrent batch changed them after this
 * one read them. All are guarded updates, so a re-run or a race never goes back in time.
 */
@Component
@Order(10)
class CustomerJoin implements AfterWrite {

    private final OrderViews orderViews;
    private final CustomerViews customers;

    CustomerJoin(OrderViews orderViews, CustomerViews customers) {
        this.orderViews = orderViews;
        this.customers = customers;
    }

    @Override
    public void refresh(AppliedBatch batch) {
        OrderViews.In views = orderViews.in(batch.views());
        Map<String, CustomerView> stored = batch.stored(CustomerView.class);
        List<CustomerView> changed = batch.documents(CustomerView.class).values().stream()
                .filter(customer -> stored.containsKey(customer.id()))
                .toList();
        views.joinCustomers(changed);
        Collection<OrderView> written = batch.documents(OrderView.class).values();
        Map<String, CustomerView> fresh = customers.in(batch.views())
                .findAll(written.stream().map(OrderView::customerId).distinct().toList());
        Map<String, CustomerView> behind = new LinkedHashMap<>();
        for (OrderView view : written) {
            CustomerView customer = fresh.get(view.customerId());
            if (customer != null && customer.version() > view.customerVersion()) {
                behind.put(view.id(), customer);
            }
        }
        views.joinCustomer(behind);
    }
}

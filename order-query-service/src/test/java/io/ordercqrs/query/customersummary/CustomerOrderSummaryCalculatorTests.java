package io.ordercqrs.query.customersummary;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViewProjector;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerOrderSummaryCalculatorTests {

    private final CustomerId customer = TestEvents.newCustomer();
    private final CustomerView details = new CustomerView(customer.toString(), "Ada", "ada@example.org", 1, T0);

    @Test
    void countsOrdersPerStatusAndSumsWhatWasPaidAndNotCancelled() {
        OrderView placed = place(T0.plusSeconds(10));
        OrderView paid = pay(place(T0.plusSeconds(20)));
        OrderView paidThenCancelled = cancel(pay(place(T0.plusSeconds(30))), 3);

        CustomerOrderSummary summary = CustomerOrderSummaryCalculator.summarize(customer.toString(), details,
                List.of(placed, paid, paidThenCancelled), 5);

        assertThat(summary.name()).isEqualTo("Ada");
        assertThat(summary.orderCount()).isEqualTo(3);
        assertThat(summary.countsByStatus()).containsOnly(
                org.assertj.core.api.Assertions.entry(OrderStatus.PLACED, 1L),
                org.assertj.core.api.Assertions.entry(OrderStatus.PAID, 1L),
                org.assertj.core.api.Assertions.entry(OrderStatus.CANCELLED, 1L));
        assertThat(summary.lifetimeSpend()).containsExactly(new Amount("30.00", "EUR"));
    }

    @Test
    void listsTheMostRecentOrdersNewestFirst() {
        OrderView oldest = place(T0);
        OrderView middle = place(T0.plusSeconds(60));
        OrderView newest = place(T0.plusSeconds(120));

        CustomerOrderSummary summary = CustomerOrderSummaryCalculator.summarize(customer.toString(), details,
                List.of(middle, newest, oldest), 2);

        assertThat(summary.recentOrders()).extracting(CustomerOrderSummary.RecentOrder::orderId)
                .containsExactly(newest.id(), middle.id());
        assertThat(summary.lastOrder().orderId()).isEqualTo(newest.id());
    }

    @Test
    void summarizesACustomerWithoutOrdersAndOrdersWithoutKnownCustomer() {
        CustomerOrderSummary none = CustomerOrderSummaryCalculator.summarize(customer.toString(), details, List.of(), 5);
        CustomerOrderSummary unknown = CustomerOrderSummaryCalculator.summarize(customer.toString(), null,
                List.of(place(T0)), 5);

        assertThat(none.orderCount()).isZero();
        assertThat(none.lastOrder()).isNull();
        assertThat(unknown.name()).isNull();
        assertThat(unknown.orderCount()).isEqualTo(1);
    }

    @Test
    void stampsNewerSourcesHigher() {
        OrderView order = place(T0).withRevision(1);
        long before = CustomerOrderSummaryCalculator.summarize(customer.toString(), details, List.of(order), 5)
                .sourceStamp();
        long afterPayment = CustomerOrderSummaryCalculator.summarize(customer.toString(), details,
                List.of(pay(order).withRevision(2)), 5).sourceStamp();
        long afterNewOrder = CustomerOrderSummaryCalculator.summarize(customer.toString(), details,
                List.of(order, place(T0).withRevision(1)), 5).sourceStamp();

        assertThat(afterPayment).isGreaterThan(before);
        assertThat(afterNewOrder).isGreaterThan(before);
    }

    private OrderView place(Instant at) {
        OrderId order = TestEvents.newOrder();
        return OrderViewProjector.apply(null, TestEvents.placed(order, customer, at));
    }

    private OrderView pay(OrderView view) {
        return OrderViewProjector.apply(view, TestEvents.paid(OrderId.of(view.id()), customer,
                view.placedAt().plusSeconds(1)));
    }

    private OrderView cancel(OrderView view, long sequence) {
        return OrderViewProjector.apply(view, TestEvents.cancelled(OrderId.of(view.id()), customer, sequence,
                view.placedAt().plusSeconds(2)));
    }
}

package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.orderview.OrderViews;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

/** Keeps customer order summaries computed from the order views, and reads them. */
@Repository
public class CustomerOrderSummaries {

    private final MongoTemplate mongo;
    private final OrderViews orderViews;
    private final CustomerViews customers;

    public CustomerOrderSummaries(MongoTemplate mongo, OrderViews orderViews, CustomerViews customers) {
        this.mongo = mongo;
        this.orderViews = orderViews;
        this.customers = customers;
    }

    public Optional<CustomerOrderSummary> findById(String customerId, String collection) {
        return Optional.ofNullable(mongo.findById(customerId, CustomerOrderSummary.class, collection));
    }

    /**
     * Recomputes the summaries of these customers from their current order views. A summary is
     * only replaced by one computed from newer sources, so concurrent refreshes never go back in time.
     */
    public void refresh(Collection<String> customerIds, String customersCollection, String orderViewsCollection,
            String summariesCollection, int recentOrders) {
        Map<String, CustomerView> known = customers.findAll(customerIds, customersCollection);
        for (String customerId : customerIds) {
            CustomerOrderSummary summary = CustomerOrderSummaryCalculator.summarize(customerId, known.get(customerId),
                    orderViews.findSummaryFieldsByCustomer(customerId, orderViewsCollection), recentOrders);
            Query olderSources = Query.query(Criteria.where("_id").is(customerId)
                    .and("sourceStamp").lt(summary.sourceStamp()));
            if (mongo.replace(olderSources, summary, summariesCollection).getMatchedCount() == 0
                    && !mongo.exists(Query.query(Criteria.where("_id").is(customerId)), summariesCollection)) {
                try {
                    mongo.insert(summary, summariesCollection);
                }
                catch (DuplicateKeyException concurrentRefresh) {
                    // a concurrent refresh inserted first: replace it if ours is newer
                    mongo.replace(olderSources, summary, summariesCollection);
                }
            }
        }
    }
}

package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViews;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.BulkOperations;
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
     * Recomputes the summaries of these customers from their current order views, reading all of
     * their views in one query and writing all summaries in one bulk. A summary is only replaced by
     * one computed from newer sources, so concurrent refreshes never go back in time.
     */
    public void refresh(Collection<String> customerIds, String customersCollection, String orderViewsCollection,
            String summariesCollection, int recentOrders) {
        refresh(customerIds, customers.findAll(customerIds, customersCollection), orderViewsCollection,
                summariesCollection, recentOrders);
    }

    /** As above, with the customers' details already at hand ({@code known}: those of them that are known). */
    public void refresh(Collection<String> customerIds, Map<String, CustomerView> known, String orderViewsCollection,
            String summariesCollection, int recentOrders) {
        if (customerIds.isEmpty()) {
            return;
        }
        Map<String, List<OrderView>> ordersByCustomer = new HashMap<>();
        for (OrderView order : orderViews.findSummaryFieldsByCustomers(customerIds, orderViewsCollection)) {
            ordersByCustomer.computeIfAbsent(order.customerId(), id -> new ArrayList<>()).add(order);
        }
        List<CustomerOrderSummary> computed = new ArrayList<>();
        BulkOperations replaces = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, CustomerOrderSummary.class,
                summariesCollection);
        for (String customerId : customerIds) {
            CustomerOrderSummary summary = CustomerOrderSummaryCalculator.summarize(customerId, known.get(customerId),
                    ordersByCustomer.getOrDefault(customerId, List.of()), recentOrders);
            computed.add(summary);
            replaces.replaceOne(olderThan(summary), summary);
        }
        replaces.execute();
        Set<String> existing = new HashSet<>();
        Query present = Query.query(Criteria.where("_id").in(customerIds));
        present.fields().include("_id");
        mongo.find(present, Document.class, summariesCollection).forEach(doc -> existing.add(doc.getString("_id")));
        for (CustomerOrderSummary summary : computed) {
            if (!existing.contains(summary.id())) {
                try {
                    mongo.insert(summary, summariesCollection);
                }
                catch (DuplicateKeyException concurrentRefresh) {
                    // a concurrent refresh inserted first: replace it if ours is newer
                    mongo.replace(olderThan(summary), summary, summariesCollection);
                }
            }
        }
    }

    private static Query olderThan(CustomerOrderSummary summary) {
        return Query.query(Criteria.where("_id").is(summary.id()).and("sourceStamp").lt(summary.sourceStamp()));
    }
}

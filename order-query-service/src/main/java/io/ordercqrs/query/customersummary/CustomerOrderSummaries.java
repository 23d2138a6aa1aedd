package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViews;
import io.ordercqrs.query.projection.ProjectionSettings;
import io.ordercqrs.query.projection.ViewSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bson.types.Decimal128;
import org.jspecify.annotations.Nullable;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

/**
 * Reads customer order summaries: the counted totals, the customer's details and their most recent
 * orders, each read by key or index, so a summary costs the same whatever the customer's order count.
 */
@Repository
public class CustomerOrderSummaries {

    private final MongoTemplate mongo;
    private final CustomerViews customers;
    private final OrderViews orderViews;
    private final int recentOrders;

    CustomerOrderSummaries(MongoTemplate mongo, CustomerViews customers, OrderViews orderViews,
            ProjectionSettings settings) {
        this.mongo = mongo;
        this.customers = customers;
        this.orderViews = orderViews;
        this.recentOrders = settings.recentOrders();
    }

    /** The summaries of one set of views. */
    public In in(ViewSet views) {
        return new In(views);
    }

    /** Summaries in one set of views. */
    public final class In {

        private final ViewSet views;
        private final String collection;

        private In(ViewSet views) {
            this.views = views;
            this.collection = views.collection(CustomerOrderTotals.VIEW);
        }

        /** A customer's summary, if the views know the customer or any of their orders. */
        public Optional<CustomerOrderSummary> findById(String customerId) {
            CustomerOrderTotals totals = mongo.findById(customerId, CustomerOrderTotals.class, collection);
            CustomerView customer = customers.in(views).findById(customerId).orElse(null);
            if (totals == null && customer == null) {
                return Optional.empty();
            }
            List<CustomerOrderSummary.RecentOrder> recent = orderViews.in(views).recent(customerId, recentOrders)
                    .stream().map(In::recentOrder).toList();
            return Optional.of(summary(customerId, totals, customer, recent));
        }

        /** The summaries of these customers without their recent orders (for checks over many), by id. */
        public Map<String, CustomerOrderSummary> findTotals(Collection<String> customerIds) {
            Map<String, CustomerOrderTotals> totals = new LinkedHashMap<>();
            mongo.find(Query.query(Criteria.where("_id").in(customerIds)), CustomerOrderTotals.class, collection)
                    .forEach(found -> totals.put(found.id(), found));
            Map<String, CustomerView> known = customers.in(views).findAll(customerIds);
            Map<String, CustomerOrderSummary> summaries = new TreeMap<>();
            for (String id : customerIds) {
                if (totals.containsKey(id) || known.containsKey(id)) {
                    summaries.put(id, summary(id, totals.get(id), known.get(id), List.of()));
                }
            }
            return summaries;
        }

        private static CustomerOrderSummary.RecentOrder recentOrder(OrderView order) {
            return new CustomerOrderSummary.RecentOrder(order.id(), order.status(), order.total(), order.placedAt());
        }
    }

    private static CustomerOrderSummary summary(String id, @Nullable CustomerOrderTotals totals,
            @Nullable CustomerView customer, List<CustomerOrderSummary.RecentOrder> recent) {
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        List<Amount> spend = List.of();
        Instant updatedAt = customer == null ? null : customer.updatedAt();
        long orderCount = 0;
        if (totals != null) {
            orderCount = totals.orderCount();
            totals.countsByStatus().forEach((status, count) -> {
                if (count != 0) {
                    counts.put(status, count);
                }
            });
            spend = totals.spend().entrySet().stream()
                    .map(entry -> Map.entry(entry.getKey(), decimal(entry.getValue())))
                    .filter(entry -> entry.getValue().signum() != 0)
                    .sorted(Map.Entry.comparingByKey())
                    .map(entry -> new Amount(entry.getValue().toPlainString(), entry.getKey()))
                    .toList();
            if (totals.updatedAt() != null && (updatedAt == null || totals.updatedAt().isAfter(updatedAt))) {
                updatedAt = totals.updatedAt();
            }
        }
        return new CustomerOrderSummary(id, customer == null ? null : customer.name(),
                customer == null ? null : customer.email(), orderCount, counts, spend,
                recent.isEmpty() ? null : recent.get(0), recent, updatedAt);
    }

    private static BigDecimal decimal(Decimal128 value) {
        return value.bigDecimalValue();
    }
}

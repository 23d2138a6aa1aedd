package io.ordercqrs.query.customersummary;

import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViews;
import io.ordercqrs.query.projection.ConcurrentChanges;
import io.ordercqrs.query.projection.ViewSet;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.bson.types.Decimal128;
import org.jspecify.annotations.Nullable;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Counts customers' totals again from all their order views, for repairs that put events into the
 * views outside the partition order (replays): each view's timeline says where each of its events
 * was read, so the totals' own marks tell which of them they count, and the counts are set to
 * exactly those. Marks are left as they are, so later counting goes on where it was. Costs as much
 * as the customer has orders; only ops' repairs use it.
 */
@Component
public class CustomerTotalsRecount {

    private static final int MAX_RACES = 10;

    private final MongoTemplate mongo;
    private final OrderViews orderViews;

    CustomerTotalsRecount(MongoTemplate mongo, OrderViews orderViews) {
        this.mongo = mongo;
        this.orderViews = orderViews;
    }

    public void recount(Collection<String> customerIds, ViewSet views) {
        customerIds.forEach(customerId -> recount(customerId, views));
    }

    private void recount(String customerId, ViewSet views) {
        String collection = views.collection(CustomerOrderTotals.VIEW);
        for (int race = 0; race < MAX_RACES; race++) {
            CustomerOrderTotals totals = mongo.findById(customerId, CustomerOrderTotals.class, collection);
            if (totals == null) {
                return;
            }
            CustomerTotalsRefresh.Increment counted = new CustomerTotalsRefresh.Increment();
            for (OrderView view : orderViews.in(views).allOf(customerId)) {
                for (OrderView.StatusChange change : view.timeline()) {
                    if (totals.counts(view, change)) {
                        counted.add(OrderChange.of(view, change.version()));
                    }
                }
            }
            if (mongo.updateFirst(Query.query(Criteria.where("_id").is(customerId).and("revision").is(totals.revision())),
                    counts(counted, totals.updatedAt()), collection).getMatchedCount() == 1) {
                return;
            }
        }
        throw new ConcurrentChanges("The order totals of customer " + customerId, MAX_RACES);
    }

    private static Update counts(CustomerTotalsRefresh.Increment counted, @Nullable Instant updatedAt) {
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        counted.counts().forEach((status, count) -> {
            if (count != 0) {
                counts.put(status, count);
            }
        });
        Map<String, Decimal128> spend = new TreeMap<>();
        counted.spend().forEach((currency, amount) -> {
            if (amount.signum() != 0) {
                spend.put(currency, new Decimal128(amount));
            }
        });
        Instant latest = counted.latest() != null ? counted.latest() : updatedAt;
        return new Update().set("orderCount", counted.orders()).set("countsByStatus", counts).set("spend", spend)
                .set("updatedAt", latest).inc("revision", 1);
    }
}

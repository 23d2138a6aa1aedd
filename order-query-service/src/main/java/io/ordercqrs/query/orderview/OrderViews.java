package io.ordercqrs.query.orderview;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.projection.ViewSet;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/** Reads and searches order views, and joins customers' details into them. */
@Repository
public class OrderViews {

    private final MongoTemplate mongo;
    /**
     * How many views match a search, per collection and filter, reused for a second: paging through
     * a large result does not count it again on every page.
     */
    private final Cache<String, Long> counts = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(1)).build();

    OrderViews(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The order views of one set of views. */
    public In in(ViewSet views) {
        return new In(views.collection(OrderView.VIEW));
    }

    /** Order views in one set of views. */
    public final class In {

        private final String collection;

        private In(String collection) {
            this.collection = collection;
        }

        public Optional<OrderView> findById(String id) {
            return Optional.ofNullable(mongo.findById(id, OrderView.class, collection));
        }

        /** The views among {@code ids} that exist, by id. */
        public Map<String, OrderView> findAll(Collection<String> ids) {
            if (ids.isEmpty()) {
                return Map.of();
            }
            return mongo.find(Query.query(Criteria.where("_id").in(ids)), OrderView.class, collection).stream()
                    .collect(Collectors.toMap(OrderView::id, Function.identity()));
        }

        /** All of a customer's orders: for checks and repairs, which may take as long as that is. */
        public List<OrderView> allOf(String customerId) {
            return mongo.find(Query.query(Criteria.where("customerId").is(customerId)), OrderView.class, collection);
        }

        /** A customer's most recently placed orders, newest first. */
        public List<OrderView> recent(String customerId, int limit) {
            Query query = Query.query(Criteria.where("customerId").is(customerId))
                    .with(Sort.by(Sort.Direction.DESC, "placedAt").and(Sort.by(Sort.Direction.DESC, "_id")))
                    .limit(limit);
            return mongo.find(query, OrderView.class, collection);
        }

        /**
         * Copies customers' details into every view of their orders that has older ones: one query
         * finds their views (by index on real MongoDB, in one pass on a stand-in without secondary
         * indexes), then each stale one gets a guarded single-document update, so a replay or a race
         * never goes back in time.
         */
        public void joinCustomers(Collection<CustomerView> customers) {
            if (customers.isEmpty()) {
                return;
            }
            Map<String, CustomerView> byId = customers.stream()
                    .collect(Collectors.toMap(CustomerView::id, Function.identity()));
            Query theirs = Query.query(Criteria.where("customerId").in(byId.keySet()));
            theirs.fields().include("_id", "customerId", "customerVersion");
            BulkOperations updates = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, OrderView.class, collection);
            int count = 0;
            for (Document view : mongo.find(theirs, Document.class, collection)) {
                CustomerView customer = byId.get(view.getString("customerId"));
                if (view.get("customerVersion", Number.class).longValue() >= customer.version()) {
                    continue;
                }
                updates.updateOne(details(view.get("_id"), customer), detailsOf(customer));
                count++;
            }
            if (count > 0) {
                updates.execute();
            }
        }

        /** Copies each customer's details into the view of the order it is given for, unless it has them or newer. */
        public void joinCustomer(Map<String, CustomerView> customerByView) {
            if (customerByView.isEmpty()) {
                return;
            }
            BulkOperations updates = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, OrderView.class, collection);
            customerByView.forEach((viewId, customer) -> updates.updateOne(details(viewId, customer),
                    detailsOf(customer)));
            updates.execute();
        }

        private static Query details(Object viewId, CustomerView customer) {
            return Query.query(Criteria.where("_id").is(viewId).and("customerVersion").lt(customer.version()));
        }

        private static Update detailsOf(CustomerView customer) {
            return new Update().set("customerName", customer.name()).set("customerEmail", customer.email())
                    .set("customerVersion", customer.version()).inc("revision", 1);
        }

        /**
         * Views changed at or after {@code since}, oldest change first, at most {@code limit}: of one
         * customer, or of all when {@code customerId} is {@code null}, optionally in one status.
         */
        public List<OrderView> changedSince(Instant since, @Nullable String customerId, @Nullable OrderStatus status,
                int limit) {
            Criteria criteria = Criteria.where("updatedAt").gte(since);
            if (customerId != null) {
                criteria.and("customerId").is(customerId);
            }
            if (status != null) {
                criteria.and("status").is(status);
            }
            Query query = Query.query(criteria)
                    .with(Sort.by(Sort.Direction.ASC, "updatedAt").and(Sort.by(Sort.Direction.ASC, "_id")))
                    .limit(limit);
            return mongo.find(query, OrderView.class, collection);
        }

        /** One page of views matching {@code search}, newest first, and how many match in all. */
        public OrderPage search(OrderSearch search) {
            Criteria criteria = new Criteria();
            if (search.customerId() != null) {
                criteria.and("customerId").is(search.customerId());
            }
            if (search.status() != null) {
                criteria.and("status").is(search.status());
            }
            if (search.placedFrom() != null || search.placedTo() != null) {
                Criteria placed = criteria.and("placedAt");
                if (search.placedFrom() != null) {
                    placed.gte(search.placedFrom());
                }
                if (search.placedTo() != null) {
                    placed.lt(search.placedTo());
                }
            }
            Query query = Query.query(criteria);
            String countKey = String.join(" ", collection, String.valueOf(search.customerId()),
                    String.valueOf(search.status()), String.valueOf(search.placedFrom()), String.valueOf(search.placedTo()));
            long skip = (long) search.page() * search.size();
            query.with(Sort.by(Sort.Direction.DESC, "placedAt").and(Sort.by(Sort.Direction.DESC, "_id")))
                    .skip(skip)
                    .limit(search.size());
            List<OrderView> items = mongo.find(query, OrderView.class, collection);
            // A page that is not full is the last one: the total follows without counting.
            boolean last = items.size() < search.size() && (!items.isEmpty() || search.page() == 0);
            long total = last ? skip + items.size()
                    : counts.get(countKey, key -> mongo.count(Query.query(criteria), OrderView.class, collection));
            return OrderPage.of(items, search.page(), search.size(), total);
        }

        /**
         * The indexes every query and join needs: by customer (and how fresh their details are), by
         * status, by time placed and by time changed (for streams that resend what a client missed).
         */
        public void ensureIndexes() {
            IndexOperations indexes = mongo.indexOps(collection);
            indexes.createIndex(new Index().on("customerId", Sort.Direction.ASC).on("placedAt", Sort.Direction.DESC)
                    .named("customer_placed_at"));
            indexes.createIndex(new Index().on("customerId", Sort.Direction.ASC)
                    .on("customerVersion", Sort.Direction.ASC).named("customer_version"));
            indexes.createIndex(new Index().on("status", Sort.Direction.ASC).on("placedAt", Sort.Direction.DESC)
                    .named("status_placed_at"));
            indexes.createIndex(new Index().on("placedAt", Sort.Direction.DESC).named("placed_at"));
            indexes.createIndex(new Index().on("customerId", Sort.Direction.ASC).on("updatedAt", Sort.Direction.ASC)
                    .named("customer_updated_at"));
            indexes.createIndex(new Index().on("updatedAt", Sort.Direction.ASC).named("updated_at"));
        }
    }

    /** What a list of orders may be narrowed by; every filter is optional. */
    public record OrderSearch(@Nullable String customerId, @Nullable OrderStatus status, @Nullable Instant placedFrom,
            @Nullable Instant placedTo, int page, int size) {
    }
}

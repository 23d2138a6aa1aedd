package io.ordercqrs.query.customersummary;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.AfterWrite;
import io.ordercqrs.query.projection.AppliedBatch;
import io.ordercqrs.query.projection.ConcurrentChanges;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.query.projection.ViewSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Counts each order change of a batch into its customer's totals exactly once, however often the
 * batch runs and whoever else counts beside it. A change read in partition order is counted when
 * its offset lies beyond the offset the totals have counted up to in that partition; a change
 * applied late is counted when its sequence lies beyond the last late change counted for its
 * order. Which one made a view's change is in the view's timeline, so a batch that runs again
 * finds what an earlier attempt left uncounted. Each customer's totals get one conditional update
 * per batch, guarded by exactly the marks it read: a concurrent count makes it read and count
 * again, and nothing is counted twice. The marks this instance wrote last are remembered, so a
 * customer seen in an earlier batch is counted without reading their totals first; marks that
 * changed elsewhere meanwhile fail the guard like any concurrent count. A late change's mark is
 * handed over to its order's view once counted, so the totals' marks stay small.
 */
@Component
@Order(20)
class CustomerTotalsRefresh implements AfterWrite {

    private static final int MAX_RACES = 10;
    private static final int DUPLICATE_KEY = 11000;

    private static final int REMEMBERED = 100_000;

    private final MongoTemplate mongo;
    private final Cache<String, CountedMarks> written = Caffeine.newBuilder().maximumSize(REMEMBERED).build();

    CustomerTotalsRefresh(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public void refresh(AppliedBatch batch) {
        Map<String, List<Counted>> byCustomer = uncountedCandidates(batch);
        if (byCustomer.isEmpty()) {
            return;
        }
        String collection = batch.views().collection(CustomerOrderTotals.VIEW);
        Set<String> pending = new HashSet<>(byCustomer.keySet());
        for (int race = 0; race < MAX_RACES && !pending.isEmpty(); race++) {
            Map<String, CountedMarks> marks = marks(pending, collection, race == 0);
            // Read after the marks: a late change whose mark was handed to its view meanwhile is found there.
            Set<String> countedLate = countedLate(pending, byCustomer, batch.views());
            List<String> customers = new ArrayList<>();
            List<Increment> increments = new ArrayList<>();
            List<WriteModel<Document>> updates = new ArrayList<>();
            for (String customer : pending) {
                CountedMarks counted = marks.get(customer);
                Increment increment = increment(counted, byCustomer.get(customer).stream()
                        .filter(candidate -> !countedLate.contains(candidate.key())).toList());
                if (increment != null) {
                    updates.add(new UpdateOneModel<>(increment.guard(customer), increment.update(),
                            new UpdateOptions().upsert(true)));
                    customers.add(customer);
                    increments.add(increment);
                }
                else if (counted != null) {
                    written.put(key(collection, customer), counted);
                }
            }
            pending = customers.isEmpty() ? Set.of() : conflicts(mongo.getCollection(collection), updates, customers);
            for (int i = 0; i < customers.size(); i++) {
                String key = key(collection, customers.get(i));
                if (pending.contains(customers.get(i))) {
                    written.invalidate(key);
                }
                else {
                    written.put(key, CountedMarks.orNone(marks.get(customers.get(i))).after(increments.get(i)));
                }
            }
        }
        if (!pending.isEmpty()) {
            throw new ConcurrentChanges("The order totals of " + pending.size() + " customers", MAX_RACES);
        }
        byCustomer.forEach((customer, candidates) -> handOverLateMarks(customer, candidates, batch, collection));
    }

    /**
     * The late changes among the candidates of {@code customers} that their order views, read now,
     * record as counted ({@link Origin#COUNTED_LATE}), as {@link Counted#key()}s.
     */
    private Set<String> countedLate(Set<String> customers, Map<String, List<Counted>> byCustomer, ViewSet views) {
        Set<String> orders = new HashSet<>();
        customers.forEach(customer -> byCustomer.get(customer).stream().filter(candidate -> candidate.origin().late())
                .forEach(candidate -> orders.add(candidate.view().id())));
        if (orders.isEmpty()) {
            return Set.of();
        }
        Query query = Query.query(Criteria.where("_id").in(orders));
        query.fields().include("timeline");
        Set<String> counted = new HashSet<>();
        for (Timeline view : mongo.find(query, Timeline.class, views.collection(OrderView.VIEW))) {
            view.timeline().stream().filter(change -> change.origin().countedLate())
                    .forEach(change -> counted.add(Counted.key(view.id(), change.version())));
        }
        return counted;
    }

    /**
     * Hands the customer's marks of late changes over to the order views they count, so the totals
     * keep no mark per order that ever had a late change: first the view records its late changes up
     * to the mark as counted (guarded by the revision this batch wrote, so nothing it does not know of
     * is lost), then the mark goes, only if it still stands where it was. Anyone counting reads the
     * marks before the views, so a change is never without both. Whatever loses a race keeps its
     * mark, which still counts it, and is handed over when the order is next touched.
     */
    private void handOverLateMarks(String customer, List<Counted> candidates, AppliedBatch batch, String collection) {
        String key = key(collection, customer);
        Map<String, OrderView> views = batch.documents(OrderView.class);
        Set<String> orders = new HashSet<>();
        for (Counted candidate : candidates) {
            CountedMarks marks = written.getIfPresent(key);
            String orderId = candidate.view().id();
            long mark = marks == null ? 0 : marks.lateCounted(orderId);
            OrderView view = views.get(orderId);
            if (!candidate.origin().late() || mark == 0 || view == null || !orders.add(orderId)) {
                continue;
            }
            OrderView counted = view.withLateChangesCounted(mark);
            if (counted == null || mongo.updateFirst(
                    Query.query(Criteria.where("_id").is(orderId).and("revision").is(view.revision())),
                    new Update().set("timeline", counted.timeline()).inc("revision", 1), OrderView.class,
                    batch.views().collection(OrderView.VIEW)).getMatchedCount() == 0) {
                continue;
            }
            if (mongo.getCollection(collection).updateOne(
                    new Document("_id", customer).append("lateOrders." + orderId, mark),
                    new Document("$unset", new Document("lateOrders." + orderId, ""))
                            .append("$inc", new Document("revision", 1L))).getMatchedCount() == 1) {
                written.put(key, marks.forgetting(orderId, mark));
            }
            else {
                written.invalidate(key);
            }
        }
    }

    @Override
    public List<String> views() {
        return List.of(CustomerOrderTotals.VIEW);
    }

    /**
     * The changes of the batch's orders that may still be uncounted, by customer: the change each
     * event made to its view, where it was read then (an event applied again from elsewhere, as
     * when a reader takes a history read over from one that died before counting, is checked
     * against where it was first read), and every change of a touched order applied late.
     */
    private static Map<String, List<Counted>> uncountedCandidates(AppliedBatch batch) {
        Map<String, OrderView> views = batch.documents(OrderView.class);
        Map<String, List<Counted>> byCustomer = new LinkedHashMap<>();
        Set<String> orders = new HashSet<>();
        Set<String> changes = new HashSet<>();
        for (AppliedBatch.Applied applied : batch.events()) {
            if (!(applied.event() instanceof OrderEvent event)) {
                continue;
            }
            String orderId = event.orderId().toString();
            OrderView view = views.get(orderId);
            if (view == null) {
                continue;
            }
            OrderView.StatusChange change = view.change(event.sequence());
            // Once per change, however many copies of its event the batch holds.
            if (change != null && !change.origin().late() && changes.add(orderId + "/" + change.version())) {
                byCustomer.computeIfAbsent(view.customerId(), id -> new ArrayList<>())
                        .add(new Counted(view, change.version(), change.origin()));
            }
            if (orders.add(orderId)) {
                for (OrderView.StatusChange late : view.timeline()) {
                    if (late.origin().late() && !late.origin().countedLate()) {
                        byCustomer.computeIfAbsent(view.customerId(), id -> new ArrayList<>())
                                .add(new Counted(view, late.version(), late.origin()));
                    }
                }
            }
        }
        return byCustomer;
    }

    /**
     * The marks of the customers' totals: as this instance wrote them last if {@code remembered}
     * may be used, otherwise (and for customers not remembered) as stored. Absent for customers
     * with no totals yet.
     */
    private Map<String, CountedMarks> marks(Set<String> customers, String collection, boolean remembered) {
        Map<String, CountedMarks> marks = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String customer : customers) {
            CountedMarks known = remembered ? written.getIfPresent(key(collection, customer)) : null;
            if (known != null) {
                marks.put(customer, known);
            }
            else {
                unknown.add(customer);
            }
        }
        if (!unknown.isEmpty()) {
            Query query = Query.query(Criteria.where("_id").in(unknown));
            query.fields().include("orderOffsets", "lateOrders");
            mongo.find(query, Document.class, collection)
                    .forEach(found -> marks.put(found.getString("_id"), CountedMarks.of(found)));
        }
        return marks;
    }

    private static String key(String collection, String customer) {
        return collection + "/" + customer;
    }

    /** What is left to count for one customer given the totals' marks, or {@code null} if nothing. */
    private static @Nullable Increment increment(@Nullable CountedMarks totals, List<Counted> candidates) {
        Increment increment = new Increment();
        for (Counted candidate : candidates) {
            if (candidate.origin().late()) {
                long counted = totals == null ? 0 : totals.lateCounted(candidate.view().id());
                if (candidate.version() > counted) {
                    increment.late(candidate.view().id(), counted, candidate);
                }
            }
            else {
                long counted = totals == null ? -1 : totals.countedUpTo(candidate.origin().partition());
                if (candidate.origin().offset() > counted) {
                    increment.inOrder(candidate.origin().partition(), counted, candidate);
                }
            }
        }
        return increment.isEmpty() ? null : increment;
    }

    /**
     * Runs the updates, as the driver's own documents: mapping them (map keys inside dotted paths)
     * costs more than counting. The customers whose update lost to a concurrent count.
     */
    private static Set<String> conflicts(MongoCollection<Document> collection, List<WriteModel<Document>> updates,
            List<String> customers) {
        try {
            collection.bulkWrite(updates, new BulkWriteOptions().ordered(false));
            return Set.of();
        }
        catch (MongoBulkWriteException e) {
            Set<String> lost = new HashSet<>();
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCode() != DUPLICATE_KEY) {
                    throw e;
                }
                lost.add(customers.get(error.getIndex()));
            }
            return lost;
        }
    }

    /** An order view's timeline alone, as read to see which late changes it records as counted. */
    private record Timeline(@Id String id, List<OrderView.StatusChange> timeline) {
    }

    /** A change of {@code view}: the event of sequence {@code version}, read at {@code origin}. */
    private record Counted(OrderView view, long version, Origin origin) {

        String key() {
            return key(view.id(), version);
        }

        /** The change of sequence {@code version} of order {@code orderId}, as one string. */
        static String key(String orderId, long version) {
            return orderId + "/" + version;
        }
    }

    /** The increments and new marks of one customer's totals, and the marks they were computed against. */
    static final class Increment {

        private final Map<String, Long> offsetsBefore = new LinkedHashMap<>();
        private final Map<String, Long> offsetsAfter = new LinkedHashMap<>();
        private final Map<String, Long> lateBefore = new LinkedHashMap<>();
        private final Map<String, Long> lateAfter = new LinkedHashMap<>();
        private final Map<OrderStatus, Long> counts = new LinkedHashMap<>();
        private final Map<String, BigDecimal> spend = new LinkedHashMap<>();
        private long orders;
        private @Nullable Instant latest;

        void inOrder(int partition, long countedUpTo, Counted candidate) {
            String key = CustomerOrderTotals.partitionKey(partition);
            offsetsBefore.putIfAbsent(key, countedUpTo);
            offsetsAfter.merge(key, candidate.origin().offset(), Math::max);
            add(OrderChange.of(candidate.view(), candidate.version()));
        }

        void late(String orderId, long counted, Counted candidate) {
            lateBefore.putIfAbsent(orderId, counted);
            lateAfter.merge(orderId, candidate.version(), Math::max);
            add(OrderChange.of(candidate.view(), candidate.version()));
        }

        void add(OrderChange change) {
            if (change.newOrder()) {
                orders++;
            }
            change.counts().forEach((status, count) -> counts.merge(status, count, Long::sum));
            change.spend().forEach((currency, amount) -> spend.merge(currency, amount, BigDecimal::add));
            if (latest == null || change.occurredAt().isAfter(latest)) {
                latest = change.occurredAt();
            }
        }

        boolean isEmpty() {
            return offsetsAfter.isEmpty() && lateAfter.isEmpty();
        }

        /** The marks this increment sets. */
        Map<String, Long> offsetsAfter() {
            return offsetsAfter;
        }

        Map<String, Long> lateAfter() {
            return lateAfter;
        }

        long orders() {
            return orders;
        }

        Map<OrderStatus, Long> counts() {
            return counts;
        }

        Map<String, BigDecimal> spend() {
            return spend;
        }

        @Nullable Instant latest() {
            return latest;
        }

        /** Matches the customer's totals only while they still carry the marks this was computed against. */
        Document guard(String customer) {
            Document guard = new Document("_id", customer);
            offsetsBefore.forEach((key, offset) -> guard.append("orderOffsets." + key, offset < 0 ? null : offset));
            lateBefore.forEach((order, version) -> guard.append("lateOrders." + order, version == 0 ? null : version));
            return guard;
        }

        Document update() {
            Document increments = new Document("revision", 1L);
            if (orders != 0) {
                increments.append("orderCount", orders);
            }
            counts.forEach((status, count) -> {
                if (count != 0) {
                    increments.append("countsByStatus." + status.name(), count);
                }
            });
            spend.forEach((currency, amount) -> {
                if (amount.signum() != 0) {
                    increments.append("spend." + currency, new Decimal128(amount));
                }
            });
            Document marks = new Document();
            offsetsAfter.forEach((key, offset) -> marks.append("orderOffsets." + key, offset));
            lateAfter.forEach((order, version) -> marks.append("lateOrders." + order, version));
            Document update = new Document("$inc", increments).append("$set", marks);
            if (latest != null) {
                update.append("$max", new Document("updatedAt", Date.from(latest)));
            }
            return update;
        }
    }
}

package io.ordercqrs.query.projection;

import io.ordercqrs.events.CustomerEvent;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.deadletter.DeadLetters;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViewProjector;
import io.ordercqrs.query.orderview.OrderViews;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Applies a batch of event records to a set of views. Each event applies only on top of its
 * predecessor (a duplicate changes nothing, a gap is a failure); the batch's changes become bulk
 * conditional single-document writes, so it runs the same on MongoDB and on its stand-ins.
 *
 * <p>Records of an aggregate that has open dead letters are not applied but held behind them. The
 * first record that fails stops the batch: everything before it is written, and the caller decides
 * (retry, then park) about it and what follows.
 */
@Component
public class EventProjection {

    private static final int MAX_RACES = 10;

    private final EventCodec codec;
    private final MongoTemplate mongo;
    private final OrderViews orderViews;
    private final CustomerViews customerViews;
    private final CustomerOrderSummaries summaries;
    private final DeadLetters deadLetters;
    private final ProjectionSettings settings;
    private final ProjectionMetrics metrics;

    EventProjection(EventCodec codec, MongoTemplate mongo, OrderViews orderViews, CustomerViews customerViews,
            CustomerOrderSummaries summaries, DeadLetters deadLetters, ProjectionSettings settings,
            ProjectionMetrics metrics) {
        this.codec = codec;
        this.mongo = mongo;
        this.orderViews = orderViews;
        this.customerViews = customerViews;
        this.summaries = summaries;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Applies {@code records}, in order, to the views in {@code target}.
     *
     * @param holdBehindDeadLetters whether records of aggregates with open dead letters are held
     *                              (and stored as held letters) instead of applied
     */
    public Outcome project(List<ConsumerRecord<String, byte[]>> records, ViewCollections target,
            boolean holdBehindDeadLetters) {
        for (int race = 0; race < MAX_RACES; race++) {
            Outcome outcome = projectOnce(records, target, holdBehindDeadLetters);
            if (outcome != null) {
                return outcome;
            }
        }
        throw new IllegalStateException("Views kept being changed concurrently; " + records.size()
                + " records not applied");
    }

    /**
     * Applies {@code records} in order like {@link #project}, but hands each record that fails to
     * {@code failed} and goes on with the next: for replays and rebuilds, which must not stop at one
     * bad record. The outcome counts the whole batch and never reports a failure.
     */
    public Outcome projectPastFailures(List<ConsumerRecord<String, byte[]>> records, ViewCollections target,
            boolean holdBehindDeadLetters, BiConsumer<ConsumerRecord<String, byte[]>, RuntimeException> failed) {
        int applied = 0;
        int duplicates = 0;
        int held = 0;
        List<ConsumerRecord<String, byte[]>> rest = records;
        while (!rest.isEmpty()) {
            Outcome outcome = project(rest, target, holdBehindDeadLetters);
            applied += outcome.applied();
            duplicates += outcome.duplicates();
            held += outcome.held();
            if (!outcome.failed()) {
                break;
            }
            int failedAt = outcome.failure().index();
            failed.accept(rest.get(failedAt), outcome.failure().cause());
            rest = rest.subList(failedAt + 1, rest.size());
        }
        return new Outcome(applied, duplicates, held, null);
    }

    /** @return the outcome, or {@code null} when a concurrent writer won a race and the batch must be re-read */
    private Outcome projectOnce(List<ConsumerRecord<String, byte[]>> records, ViewCollections target,
            boolean holdBehindDeadLetters) {
        Map<String, String> blocking = holdBehindDeadLetters
                ? deadLetters.blockingLetters(records.stream().map(EventProjection::topicKey).toList())
                : Map.of();
        List<Decoded> decoded = new ArrayList<>();
        Map<Integer, DeadLetters.HeldRecord> held = new LinkedHashMap<>();
        Failure failure = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            String blocker = blocking.get(topicKey(record));
            if (blocker != null) {
                held.put(i, new DeadLetters.HeldRecord(record, blocker));
                continue;
            }
            try {
                decoded.add(new Decoded(i, codec.decode(record)));
            }
            catch (RuntimeException undecodable) {
                failure = new Failure(i, undecodable);
                break;
            }
        }

        Set<String> orderIds = new LinkedHashSet<>();
        Set<String> customerIds = new LinkedHashSet<>();
        for (Decoded entry : decoded) {
            if (entry.event() instanceof OrderEvent order) {
                orderIds.add(order.orderId().toString());
                customerIds.add(order.customerId().toString());
            }
            else if (entry.event() instanceof CustomerEvent customer) {
                customerIds.add(customer.customerId().toString());
            }
        }
        Map<String, OrderView> originalViews = orderViews.findAll(orderIds, target.orderViews());
        Map<String, CustomerView> originalCustomers = customerViews.findAll(customerIds, target.customers());
        Map<String, OrderView> views = new HashMap<>(originalViews);
        Map<String, CustomerView> customers = new HashMap<>(originalCustomers);
        Set<String> changedViews = new LinkedHashSet<>();
        Set<String> changedCustomers = new LinkedHashSet<>();
        List<DomainEvent> applied = new ArrayList<>();
        int duplicates = 0;
        for (Decoded entry : decoded) {
            try {
                if (entry.event() instanceof OrderEvent order) {
                    String id = order.orderId().toString();
                    OrderView current = views.get(id);
                    long version = current == null ? 0 : current.version();
                    switch (SequenceCheck.of(version, order.sequence())) {
                        case DUPLICATE -> duplicates++;
                        case GAP -> throw new VersionGap("order", id, version, order.sequence());
                        case NEXT -> {
                            views.put(id, OrderViewProjector.apply(current, order));
                            changedViews.add(id);
                            applied.add(order);
                        }
                    }
                }
                else if (entry.event() instanceof CustomerEvent customerEvent) {
                    String id = customerEvent.customerId().toString();
                    CustomerView current = customers.get(id);
                    long version = current == null ? 0 : current.version();
                    switch (SequenceCheck.of(version, customerEvent.sequence())) {
                        case DUPLICATE -> duplicates++;
                        case GAP -> throw new VersionGap("customer", id, version, customerEvent.sequence());
                        case NEXT -> {
                            customers.put(id, CustomerView.apply(current, customerEvent));
                            changedCustomers.add(id);
                            applied.add(customerEvent);
                        }
                    }
                }
            }
            catch (RuntimeException e) {
                failure = new Failure(entry.index(), e);
                break;
            }
        }
        if (failure != null) {
            int failedAt = failure.index();
            held.keySet().removeIf(index -> index > failedAt);
        }

        GuardedWrites customerWrites = new GuardedWrites(mongo, CustomerView.class, target.customers());
        for (String id : changedCustomers) {
            CustomerView original = originalCustomers.get(id);
            if (original == null) {
                customerWrites.insert(customers.get(id));
            }
            else {
                customerWrites.replace(id, "version", original.version(), customers.get(id));
            }
        }
        if (!customerWrites.execute()) {
            return null;
        }
        GuardedWrites viewWrites = new GuardedWrites(mongo, OrderView.class, target.orderViews());
        Set<String> viewCustomers = new LinkedHashSet<>();
        for (String id : changedViews) {
            OrderView view = OrderViewProjector.withCustomer(views.get(id), customers.get(views.get(id).customerId()));
            OrderView original = originalViews.get(id);
            viewCustomers.add(view.customerId());
            if (original == null) {
                viewWrites.insert(view.withRevision(1));
            }
            else {
                viewWrites.replace(id, "revision", original.revision(), view.withRevision(original.revision() + 1));
            }
            views.put(id, view);
        }
        if (!viewWrites.execute()) {
            return null;
        }

        for (String id : changedCustomers) {
            orderViews.joinCustomer(customers.get(id), target.orderViews());
        }
        // A customer event projected concurrently may have missed the views written just now: join again.
        Map<String, CustomerView> fresh = customerViews.findAll(viewCustomers, target.customers());
        Set<String> rejoined = new LinkedHashSet<>(changedCustomers);
        for (String id : changedViews) {
            OrderView view = views.get(id);
            CustomerView customer = fresh.get(view.customerId());
            if (customer != null && customer.version() > view.customerVersion() && rejoined.add(customer.id())) {
                orderViews.joinCustomer(customer, target.orderViews());
            }
        }

        Set<String> summarized = new LinkedHashSet<>(viewCustomers);
        summarized.addAll(changedCustomers);
        Map<String, CustomerView> known = new HashMap<>(fresh);
        changedCustomers.forEach(id -> known.putIfAbsent(id, customers.get(id)));
        summaries.refresh(summarized, known, target.orderViews(), target.summaries(), settings.recentOrders());
        if (!held.isEmpty()) {
            deadLetters.hold(List.copyOf(held.values()));
        }
        metrics.applied(applied);
        return new Outcome(applied.size(), duplicates, held.size(), failure);
    }

    private static String topicKey(ConsumerRecord<String, byte[]> record) {
        return record.topic() + "/" + record.key();
    }

    private record Decoded(int index, DomainEvent event) {
    }

    /** The record at {@code index} of the batch failed with {@code cause}. */
    public record Failure(int index, RuntimeException cause) {
    }

    /**
     * What a batch did.
     *
     * @param applied    events applied to the views
     * @param duplicates events the views already had
     * @param held       records kept behind an open dead letter of their aggregate
     * @param failure    the record that failed and stopped the batch, or {@code null}
     */
    public record Outcome(int applied, int duplicates, int held, Failure failure) {

        public boolean failed() {
            return failure != null;
        }
    }
}

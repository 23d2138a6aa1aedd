package io.ordercqrs.query.admin;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViewProjector;
import io.ordercqrs.query.orderview.OrderViews;
import io.ordercqrs.query.projection.ProjectionSettings;
import io.ordercqrs.query.projection.ViewCollections;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Re-derives one order's view from its events, read from the order topic or from the command
 * side's retained outbox history, and puts it in place of whatever the view holds: the way to
 * repair a view that was damaged or lost. Idempotent; it never moves a view back to an older version.
 */
@Component
public class OrderReplay {

    private final TopicScan topics;
    private final CommandService commandService;
    private final EventCodec codec;
    private final MongoTemplate mongo;
    private final OrderViews orderViews;
    private final CustomerViews customers;
    private final CustomerOrderSummaries summaries;
    private final ProjectionSettings settings;

    OrderReplay(TopicScan topics, CommandService commandService, EventCodec codec, MongoTemplate mongo,
            OrderViews orderViews, CustomerViews customers, CustomerOrderSummaries summaries,
            ProjectionSettings settings) {
        this.topics = topics;
        this.commandService = commandService;
        this.codec = codec;
        this.mongo = mongo;
        this.orderViews = orderViews;
        this.customers = customers;
        this.summaries = summaries;
        this.settings = settings;
    }

    /** Where a replay reads an order's events. */
    public enum Source { TOPIC, OUTBOX }

    /**
     * What a replay did.
     *
     * @param orderId     the order
     * @param source      where its events came from
     * @param eventsRead  how many of its events the source held
     * @param version     the view's version now
     * @param changed     whether the view differed from the re-derived one and was replaced
     */
    public record Result(UUID orderId, Source source, int eventsRead, long version, boolean changed) {
    }

    public Result replay(UUID orderId, Source source, String token) {
        List<OrderEvent> events = source == Source.TOPIC ? fromTopic(orderId) : fromOutbox(orderId, token);
        if (events.isEmpty()) {
            throw new ReplayNotPossible("The " + source.name().toLowerCase() + " holds no events of order " + orderId);
        }
        TreeMap<Long, OrderEvent> bySequence = new TreeMap<>();
        events.forEach(event -> bySequence.putIfAbsent(event.sequence(), event));
        OrderView derived = null;
        long expected = 1;
        for (OrderEvent event : bySequence.values()) {
            if (event.sequence() != expected) {
                throw new ReplayNotPossible("The " + source.name().toLowerCase() + " lacks events " + expected + ".."
                        + (event.sequence() - 1) + " of order " + orderId + "; try the other source");
            }
            derived = OrderViewProjector.apply(derived, event);
            expected++;
        }
        String id = orderId.toString();
        CustomerView customer = customers.findAll(Set.of(derived.customerId()), ViewCollections.LIVE.customers())
                .get(derived.customerId());
        derived = OrderViewProjector.withCustomer(derived, customer);
        for (int race = 0; race < 10; race++) {
            OrderView current = orderViews.findById(id, ViewCollections.LIVE.orderViews()).orElse(null);
            if (current != null && current.version() > derived.version()) {
                throw new ReplayNotPossible("The view of order " + orderId + " is at version " + current.version()
                        + " but the " + source.name().toLowerCase() + " only reaches " + derived.version()
                        + "; try the other source");
            }
            boolean changed = current == null || !current.withRevision(0).equals(derived.withRevision(0));
            if (!changed) {
                return new Result(orderId, source, events.size(), current.version(), false);
            }
            if (write(current, derived)) {
                summaries.refresh(List.of(derived.customerId()), ViewCollections.LIVE.customers(),
                        ViewCollections.LIVE.orderViews(), ViewCollections.LIVE.summaries(), settings.recentOrders());
                return new Result(orderId, source, events.size(), derived.version(), true);
            }
        }
        throw new IllegalStateException("The view of order " + orderId + " kept changing during the replay");
    }

    private boolean write(OrderView current, OrderView derived) {
        String collection = ViewCollections.LIVE.orderViews();
        if (current == null) {
            try {
                mongo.insert(derived.withRevision(1), collection);
                return true;
            }
            catch (DuplicateKeyException raced) {
                return false;
            }
        }
        return mongo.replace(Query.query(Criteria.where("_id").is(current.id()).and("revision").is(current.revision())),
                derived.withRevision(current.revision() + 1), collection).getMatchedCount() == 1;
    }

    private List<OrderEvent> fromTopic(UUID orderId) {
        List<OrderEvent> events = new ArrayList<>();
        try (TopicScan.Scan scan = topics.openPartitionOf(Topics.ORDER_EVENTS, orderId.toString())) {
            scan.readAll(batch -> {
                for (ConsumerRecord<String, byte[]> record : batch) {
                    if (orderId.toString().equals(record.key())) {
                        events.add((OrderEvent) codec.decode(record));
                    }
                }
            });
        }
        return events;
    }

    private List<OrderEvent> fromOutbox(UUID orderId, String token) {
        List<OrderEvent> events = new ArrayList<>();
        for (JsonNode row : commandService.history(orderId, token)) {
            JsonNode headers = row.path("headers");
            EventEnvelope envelope = new EventEnvelope(UUID.fromString(row.get("eventId").asString()),
                    row.get("eventType").asString(), row.get("schemaVersion").asInt(),
                    AggregateType.fromWireName(row.get("aggregateType").asString()), "/outbox-history",
                    Instant.parse(row.get("occurredAt").asString()), orderId.toString(), row.get("sequence").asLong(),
                    headers.path("traceparent").asString(null), headers.path("correlationId").asString(null),
                    row.get("payload").toString().getBytes(StandardCharsets.UTF_8));
            DomainEvent event = codec.decode(envelope);
            events.add((OrderEvent) event);
        }
        events.sort(Comparator.comparingLong(OrderEvent::sequence));
        return events;
    }
}

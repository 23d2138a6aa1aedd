package io.ordercqrs.query.replay;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import io.ordercqrs.query.commandside.CommandService;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViewProjector;
import io.ordercqrs.query.orderview.OrderViews;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.query.projection.ViewSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Re-derives one order's view from its events, read from the order topic or from the command
 * side's retained outbox history, and puts it in place of whatever the active views hold: the way
 * to repair a view that was damaged or lost. It goes through the same projection path as every
 * event (so customer details and summaries follow), is idempotent, and never moves a view back to
 * an older version.
 */
@Component
public class OrderReplay {

    private final TopicScan topics;
    private final CommandService commandService;
    private final EventCodec codec;
    private final EventProjection projection;
    private final OrderViews orderViews;
    private final CustomerViews customers;
    private final ActiveViews active;

    OrderReplay(TopicScan topics, CommandService commandService, EventCodec codec, EventProjection projection,
            OrderViews orderViews, CustomerViews customers, ActiveViews active) {
        this.topics = topics;
        this.commandService = commandService;
        this.codec = codec;
        this.projection = projection;
        this.orderViews = orderViews;
        this.customers = customers;
        this.active = active;
    }

    /** Where a replay reads an order's events. */
    public enum Source { TOPIC, OUTBOX }

    /**
     * What a replay did.
     *
     * @param orderId    the order
     * @param source     where its events came from
     * @param eventsRead how many of its events the source held
     * @param version    the view's version now
     * @param changed    whether the view differed from the re-derived one and was replaced
     */
    public record Result(UUID orderId, Source source, int eventsRead, long version, boolean changed) {
    }

    public Result replay(UUID orderId, Source source, String token) {
        List<OrderEvent> events = source == Source.TOPIC ? fromTopic(orderId) : fromOutbox(orderId, token);
        String from = source.name().toLowerCase();
        if (events.isEmpty()) {
            throw new ReplayNotPossible("The " + from + " holds no events of order " + orderId);
        }
        TreeMap<Long, OrderEvent> bySequence = new TreeMap<>();
        events.forEach(event -> bySequence.putIfAbsent(event.sequence(), event));
        OrderView derived = null;
        long expected = 1;
        for (OrderEvent event : bySequence.values()) {
            if (event.sequence() != expected) {
                throw new ReplayNotPossible("The " + from + " lacks events " + expected + ".." + (event.sequence() - 1)
                        + " of order " + orderId + "; try the other source");
            }
            derived = OrderViewProjector.fold(derived, event, Origin.LATE);
            expected++;
        }
        ViewSet views = active.current();
        OrderViews.In stored = orderViews.in(views);
        OrderView current = stored.findById(orderId.toString()).orElse(null);
        if (current != null && current.version() > derived.version()) {
            throw new ReplayNotPossible("The view of order " + orderId + " is at version " + current.version()
                    + " but the " + from + " only reaches " + derived.version() + "; try the other source");
        }
        OrderView expectedView = OrderViewProjector.withCustomer(derived,
                customers.in(views).findById(derived.customerId()).orElse(null));
        if (current != null && sameAsSeen(current, expectedView)) {
            return new Result(orderId, source, events.size(), current.version(), false);
        }
        projection.replace(List.copyOf(bySequence.values()), views);
        long version = stored.findById(orderId.toString()).map(OrderView::version).orElse(0L);
        return new Result(orderId, source, events.size(), version, true);
    }

    private static boolean sameAsSeen(OrderView current, @Nullable OrderView derived) {
        return derived != null && current.asSeen().equals(derived.asSeen());
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
            events.add((OrderEvent) codec.decode(envelope));
        }
        return events;
    }
}

package io.ordercqrs.query.replay;

import io.swagger.v3.oas.annotations.media.Schema;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.query.commandside.CommandService;
import io.ordercqrs.query.commandside.RetainedEvents;
import io.ordercqrs.query.customer.CustomerViews;
import io.ordercqrs.query.customersummary.CustomerTotalsRecount;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViewProjector;
import io.ordercqrs.query.orderview.OrderViews;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.Origin;
import io.ordercqrs.query.projection.SourcedEvent;
import io.ordercqrs.query.projection.ViewSet;
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
 * event (so customer details follow), then counts the customer's totals again from their views;
 * it is idempotent, and never moves a view back to an older version.
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
    private final CustomerTotalsRecount totals;

    OrderReplay(TopicScan topics, CommandService commandService, EventCodec codec, EventProjection projection,
            OrderViews orderViews, CustomerViews customers, ActiveViews active, CustomerTotalsRecount totals) {
        this.topics = topics;
        this.commandService = commandService;
        this.codec = codec;
        this.projection = projection;
        this.orderViews = orderViews;
        this.customers = customers;
        this.active = active;
        this.totals = totals;
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
    @Schema(name = "OrderReplayResult", description = "What replaying one order did")
    public record Result(UUID orderId, Source source, int eventsRead, long version, boolean changed) {
    }

    public Result replay(UUID orderId, Source source, String token) {
        List<SourcedEvent> events = source == Source.TOPIC ? fromTopic(orderId) : fromOutbox(orderId, token);
        String from = source.name().toLowerCase();
        if (events.isEmpty()) {
            throw new ReplayNotPossible("The " + from + " holds no events of order " + orderId);
        }
        TreeMap<Long, SourcedEvent> bySequence = new TreeMap<>();
        events.forEach(sourced -> bySequence.putIfAbsent(sourced.event().sequence(), sourced));
        OrderView derived = null;
        long expected = 1;
        for (SourcedEvent sourced : bySequence.values()) {
            OrderEvent event = (OrderEvent) sourced.event();
            if (event.sequence() != expected) {
                throw new ReplayNotPossible("The " + from + " lacks events " + expected + ".." + (event.sequence() - 1)
                        + " of order " + orderId + "; try the other source");
            }
            derived = OrderViewProjector.fold(derived, event, sourced.origin(), sourced.traceId());
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
        EventProjection.Failure failure = projection.replace(List.copyOf(bySequence.values()), views).failure();
        if (failure != null) {
            throw new ReplayNotPossible("The events of order " + orderId + " could not be applied: "
                    + failure.cause().getMessage());
        }
        totals.recount(List.of(derived.customerId()), views);
        long version = stored.findById(orderId.toString()).map(OrderView::version).orElse(0L);
        return new Result(orderId, source, events.size(), version, true);
    }

    private static boolean sameAsSeen(OrderView current, @Nullable OrderView derived) {
        return derived != null && current.asSeen().equals(derived.asSeen());
    }

    /** The order's events as read from its partition, each with where it was read. */
    private List<SourcedEvent> fromTopic(UUID orderId) {
        List<SourcedEvent> events = new ArrayList<>();
        try (TopicScan.Scan scan = topics.openPartitionOf(Topics.ORDER_EVENTS, orderId.toString())) {
            scan.readAll(batch -> {
                for (ConsumerRecord<String, byte[]> record : batch) {
                    if (orderId.toString().equals(record.key())) {
                        events.add(SourcedEvent.of(codec, codec.toEnvelope(record),
                                new Origin(record.partition(), record.offset())));
                    }
                }
            });
        }
        return events;
    }

    /** The order's events as the command side retained them: read from outside the topics, so late. */
    private List<SourcedEvent> fromOutbox(UUID orderId, String token) {
        List<SourcedEvent> events = new ArrayList<>();
        for (JsonNode row : commandService.history(orderId, token)) {
            events.add(SourcedEvent.of(codec, RetainedEvents.envelope(row), Origin.LATE));
        }
        return events;
    }
}

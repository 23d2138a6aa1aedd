package io.ordercqrs.query.replay;

import io.swagger.v3.oas.annotations.media.Schema;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.query.customersummary.CustomerTotalsRecount;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.generation.LiveOffsets;
import io.ordercqrs.query.projection.DeadLetterGate;
import io.ordercqrs.query.projection.Delivery;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * Applies a topic's events again from a time or offset to the active views, through the same
 * projection as the live consumers: what the views already have is a no-op, what they lack is
 * applied in order, and a record that fails is parked as a dead letter as the live path would
 * (unless ops discarded it before). The totals of the customers whose orders changed are counted
 * again from their views, since the events were applied outside the consumers' order.
 *
 * <p>A replay reads no further than the live consumers have applied: the records after that are
 * theirs to apply, and a replay running ahead of them would count an order change in a
 * customer's totals past one the consumers have yet to count (which would then never be) and
 * park an aggregate's later event as a gap the consumers are about to fill.
 */
@Component
public class TopicReplay {

    private final TopicScan topics;
    private final EventProjection projection;
    private final DeadLetterGate deadLetters;
    private final ActiveViews active;
    private final CustomerTotalsRecount totals;
    private final LiveOffsets live;

    TopicReplay(TopicScan topics, EventProjection projection, DeadLetterGate deadLetters, ActiveViews active,
            CustomerTotalsRecount totals, LiveOffsets live) {
        this.topics = topics;
        this.projection = projection;
        this.deadLetters = deadLetters;
        this.active = active;
        this.totals = totals;
        this.live = live;
    }

    /**
     * What a range replay did.
     *
     * @param topic       the topic replayed
     * @param recordsRead records read
     * @param applied     events the views lacked and now have
     * @param duplicates  events the views had
     * @param held        records kept behind an open dead letter of their aggregate
     * @param parked      records that failed and were parked (or skipped, if ops discarded them before)
     */
    @Schema(name = "TopicReplayResult", description = "What replaying a topic did")
    public record Result(String topic, long recordsRead, long applied, long duplicates, long held, long parked) {
    }

    public Result replay(String topic, TopicScan.Start start) {
        ViewSet views = active.current();
        Tally tally = new Tally();
        Set<String> customers = new TreeSet<>();
        Map<TopicPartition, Long> applied = live.committed(views);
        try (TopicScan.Scan scan = topics.open(List.of(topic), start).upTo(applied)) {
            scan.readAll(batch -> {
                EventProjection.Outcome outcome = projection.projectPastFailures(batch, views, Delivery.REPLAYED,
                        (record, failure) -> {
                            deadLetters.park(views, record, failure, 1);
                            tally.parked++;
                        });
                tally.read += batch.size();
                tally.applied += outcome.applied();
                outcome.changes().stream().filter(OrderEvent.class::isInstance).map(OrderEvent.class::cast)
                        .forEach(event -> customers.add(event.customerId().toString()));
                tally.duplicates += outcome.duplicates();
                tally.held += outcome.held();
            });
        }
        totals.recount(customers, views);
        return new Result(topic, tally.read, tally.applied, tally.duplicates, tally.held, tally.parked);
    }

    private static final class Tally {
        long read;
        long applied;
        long duplicates;
        long held;
        long parked;
    }
}

package io.ordercqrs.query.admin;

import io.ordercqrs.query.deadletter.DeadLetters;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewCollections;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Applies a topic's events again from a time or offset, through the same projection as the live
 * consumers: what the views already have is a no-op, what they lack is applied in order, and a
 * record that fails is parked as a dead letter as the live path would.
 */
@Component
public class TopicReplay {

    private final TopicScan topics;
    private final EventProjection projection;
    private final DeadLetters deadLetters;

    TopicReplay(TopicScan topics, EventProjection projection, DeadLetters deadLetters) {
        this.topics = topics;
        this.projection = projection;
        this.deadLetters = deadLetters;
    }

    /** What a range replay did. */
    public record Result(String topic, long recordsRead, long applied, long duplicates, long held, long parked) {
    }

    public Result replay(String topic, TopicScan.Start start) {
        long[] counts = new long[5];
        try (TopicScan.Scan scan = topics.open(List.of(topic), start)) {
            scan.readAll(batch -> {
                EventProjection.Outcome outcome = projection.projectPastFailures(batch, ViewCollections.LIVE, true,
                        (record, failure) -> {
                            deadLetters.park(record, failure, 1);
                            counts[4]++;
                        });
                counts[0] += batch.size();
                counts[1] += outcome.applied();
                counts[2] += outcome.duplicates();
                counts[3] += outcome.held();
            });
        }
        return new Result(topic, counts[0], counts[1], counts[2], counts[3], counts[4]);
    }
}

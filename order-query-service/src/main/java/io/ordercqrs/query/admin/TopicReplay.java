package io.ordercqrs.query.admin;

import io.ordercqrs.query.deadletter.DeadLetters;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewCollections;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
            scan.readAll(batch -> apply(batch, counts));
        }
        return new Result(topic, counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    private void apply(List<ConsumerRecord<String, byte[]>> batch, long[] counts) {
        List<ConsumerRecord<String, byte[]>> rest = batch;
        while (!rest.isEmpty()) {
            EventProjection.Outcome outcome = projection.project(rest, ViewCollections.LIVE, true);
            counts[1] += outcome.applied();
            counts[2] += outcome.duplicates();
            counts[3] += outcome.held();
            if (!outcome.failed()) {
                counts[0] += rest.size();
                return;
            }
            int failedAt = outcome.failure().index();
            deadLetters.park(rest.get(failedAt), outcome.failure().cause(), 1);
            counts[4]++;
            counts[0] += failedAt + 1;
            rest = rest.subList(failedAt + 1, rest.size());
        }
    }
}

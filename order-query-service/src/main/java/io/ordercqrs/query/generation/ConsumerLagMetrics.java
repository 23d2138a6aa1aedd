package io.ordercqrs.query.generation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.ordercqrs.events.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The lag of every consumer group that feeds a generation, per partition, as
 * {@code ordercqrs.consumer.lag{group,topic,partition}}: the records between what the group
 * committed and the partition's end. Read from Kafka rather than from this instance's consumers, so
 * every instance reports every partition (a dashboard takes the maximum over instances).
 */
@Component
class ConsumerLagMetrics {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private final Generations generations;
    private final KafkaOffsets offsets;
    private final MultiGauge lag;

    ConsumerLagMetrics(MeterRegistry registry, Generations generations, KafkaOffsets offsets) {
        this.generations = generations;
        this.offsets = offsets;
        this.lag = MultiGauge.builder("ordercqrs.consumer.lag")
                .description("Records a generation's consumer group has yet to commit, per partition")
                .register(registry);
    }

    @Scheduled(fixedDelayString = "${ordercqrs.generations.lag-every:10s}", initialDelay = 1000)
    void measure() {
        try {
            Map<TopicPartition, Long> end = offsets.end(Topics.ALL);
            Map<TopicPartition, Long> earliest = null;
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Generation generation : generations.all()) {
                if (!generation.state().consumed()) {
                    continue;
                }
                Map<TopicPartition, Long> committed = offsets.committed(generation.groupId());
                if (!committed.keySet().containsAll(end.keySet()) && earliest == null) {
                    earliest = offsets.earliest(Topics.ALL);
                }
                behind(end, committed, earliest == null ? Map.of() : earliest).forEach((partition, records) ->
                        rows.add(MultiGauge.Row.of(Tags.of("group", generation.groupId(), "topic", partition.topic(),
                                "partition", Integer.toString(partition.partition())), records)));
            }
            lag.register(rows, true);
        }
        catch (RuntimeException e) {
            log.debug("Could not measure the consumer lag; trying again: {}", e.toString());
        }
    }

    /**
     * Records a group has yet to commit in each partition: from what it committed (or, where it
     * never committed, from the earliest record kept) to the partition's end.
     */
    static Map<TopicPartition, Long> behind(Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> earliest) {
        Map<TopicPartition, Long> behind = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        end.forEach((partition, endOffset) -> {
            long from = committed.getOrDefault(partition, earliest.getOrDefault(partition, 0L));
            behind.put(partition, Math.max(0, endOffset - from));
        });
        return behind;
    }
}

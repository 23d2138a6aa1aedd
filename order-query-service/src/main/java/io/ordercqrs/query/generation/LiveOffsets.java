package io.ordercqrs.query.generation;

import io.ordercqrs.query.projection.ViewSet;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/** Where the consumers of a set of views have got to in the topics: the offsets their group committed. */
@Component
public class LiveOffsets {

    private final Generations generations;
    private final KafkaOffsets kafka;

    LiveOffsets(Generations generations, KafkaOffsets kafka) {
        this.generations = generations;
        this.kafka = kafka;
    }

    /**
     * Per partition, the offset up to which the consumers of {@code views} applied what they read;
     * absent where they applied nothing yet.
     */
    public Map<TopicPartition, Long> committed(ViewSet views) {
        return generations.find(views.generation()).map(generation -> kafka.committed(generation.groupId()))
                .orElse(Map.of());
    }
}

package io.ordercqrs.query.generation;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/** An offset in one partition of a topic, as a generation's documents keep it. */
public record PartitionOffset(String topic, int partition, long offset) {

    static List<PartitionOffset> of(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream()
                .map(entry -> new PartitionOffset(entry.getKey().topic(), entry.getKey().partition(), entry.getValue()))
                .sorted(Comparator.comparing(PartitionOffset::topic).thenComparing(PartitionOffset::partition))
                .toList();
    }

    static Map<TopicPartition, Long> toMap(Collection<PartitionOffset> offsets) {
        Map<TopicPartition, Long> map = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                .thenComparing(TopicPartition::partition));
        offsets.forEach(offset -> map.put(new TopicPartition(offset.topic(), offset.partition()), offset.offset()));
        return map;
    }
}

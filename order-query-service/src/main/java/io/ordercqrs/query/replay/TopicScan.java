package io.ordercqrs.query.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads event topics outside the live consumer group, for replays and rebuilds: from a start
 * position up to the end offsets seen when the scan began, partition by partition in order.
 * It never commits offsets, so the live views' consumers are unaffected.
 */
@Component
public class TopicScan {

    private static final Duration POLL = Duration.ofMillis(500);

    private final ConsumerFactory<?, ?> consumers;

    TopicScan(ConsumerFactory<?, ?> consumers) {
        this.consumers = consumers;
    }

    /** Where a scan starts in each partition. */
    public sealed interface Start permits Earliest, FromOffset, FromTime, At {
    }

    /** Exactly these positions, say where an earlier scan stopped. */
    public record At(Map<TopicPartition, Long> positions) implements Start {
    }

    public record Earliest() implements Start {
    }

    public record FromOffset(long offset) implements Start {
    }

    public record FromTime(Instant time) implements Start {
    }

    /** Opens a consumer on {@code topics}; the caller reads it with {@link Scan#next()}. */
    public Scan open(List<String> topics, Start start) {
        Properties properties = new Properties();
        properties.put("enable.auto.commit", "false");
        properties.put("max.poll.records", "1000");
        @SuppressWarnings("unchecked")
        org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer =
                (org.apache.kafka.clients.consumer.Consumer<String, byte[]>) consumers.createConsumer(
                        "order-query-service-admin", "admin-scan", null, properties);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return new Scan(consumer, partitions, start);
    }

    /**
     * Opens a scan of the one partition of {@code topic} that records keyed {@code key} are
     * published to (Kafka's default partitioner), from its earliest offset.
     */
    public Scan openPartitionOf(String topic, String key) {
        Scan scan = open(List.of(topic), new Earliest());
        int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % scan.partitions.size();
        return scan.only(new TopicPartition(topic, partition));
    }

    /** A running scan. */
    public static final class Scan implements AutoCloseable {

        private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final Map<TopicPartition, Long> beginning = new HashMap<>();
        private Map<TopicPartition, Long> end;

        Scan(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, List<TopicPartition> partitions,
                Start start) {
            this.consumer = consumer;
            this.partitions = List.copyOf(partitions);
            consumer.assign(partitions);
            end = new HashMap<>(consumer.endOffsets(partitions));
            Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
            beginning.putAll(earliest);
            if (start instanceof FromOffset offset) {
                partitions.forEach(partition -> beginning.put(partition,
                        Math.min(Math.max(offset.offset(), earliest.get(partition)), end.get(partition))));
            }
            else if (start instanceof FromTime time) {
                Map<TopicPartition, Long> timestamps = new HashMap<>();
                partitions.forEach(partition -> timestamps.put(partition, time.time().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(timestamps);
                partitions.forEach(partition -> {
                    OffsetAndTimestamp at = found.get(partition);
                    beginning.put(partition, at == null ? end.get(partition) : at.offset());
                });
            }
            else if (start instanceof At at) {
                at.positions().forEach((partition, offset) -> beginning.put(partition,
                        Math.min(Math.max(offset, earliest.get(partition)), end.get(partition))));
            }
            beginning.forEach(consumer::seek);
        }

        /** Only this partition, from where the scan started in it. */
        public Scan only(TopicPartition partition) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, beginning.get(partition));
            end = Map.of(partition, end.get(partition));
            return this;
        }

        /**
         * Reads no further than {@code limits} in each partition (nothing past the start where a
         * partition has no limit).
         */
        public Scan upTo(Map<TopicPartition, Long> limits) {
            Map<TopicPartition, Long> capped = new HashMap<>(end);
            capped.replaceAll((partition, last) -> Math.max(beginning.getOrDefault(partition, 0L),
                    Math.min(last, limits.getOrDefault(partition, 0L))));
            end = capped;
            return this;
        }

        /** Records from the start to the end offsets, in total. */
        public long total() {
            return end.entrySet().stream().mapToLong(entry -> entry.getValue() - beginning.getOrDefault(entry.getKey(), 0L))
                    .sum();
        }

        /** Takes in the end offsets as they are now, so the scan also reads what arrived since it began. */
        public void extendToCurrentEnd() {
            end = new HashMap<>(consumer.endOffsets(end.keySet()));
        }

        /** Where the scan stands in each partition: the next offset it reads. */
        public Map<TopicPartition, Long> positions() {
            Map<TopicPartition, Long> positions = new HashMap<>();
            end.keySet().forEach(partition -> positions.put(partition, consumer.position(partition)));
            return positions;
        }

        /** Whether every partition has been read to its end offset. */
        public boolean done() {
            for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
                if (consumer.position(entry.getKey()) < entry.getValue()) {
                    return false;
                }
            }
            return true;
        }

        /** The next records up to the end offsets, one list per partition, each in offset order. */
        public List<List<ConsumerRecord<String, byte[]>>> next() {
            ConsumerRecords<String, byte[]> polled = consumer.poll(POLL);
            List<List<ConsumerRecord<String, byte[]>>> batches = new ArrayList<>();
            for (TopicPartition partition : polled.partitions()) {
                long limit = end.getOrDefault(partition, Long.MAX_VALUE);
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : polled.records(partition)) {
                    if (record.offset() < limit) {
                        batch.add(record);
                    }
                    else {
                        // fetched past the end: step back, so a scan extended later still reads them
                        consumer.seek(partition, limit);
                        break;
                    }
                }
                if (!batch.isEmpty()) {
                    batches.add(batch);
                }
            }
            return batches;
        }

        /** Reads everything to the end, handing each partition's batch to {@code batches}. */
        public void readAll(Consumer<List<ConsumerRecord<String, byte[]>>> batches) {
            while (!done()) {
                next().forEach(batches);
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}

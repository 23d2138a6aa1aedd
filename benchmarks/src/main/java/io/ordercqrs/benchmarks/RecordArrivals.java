package io.ordercqrs.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * When the first record of each key reached Kafka, as a consumer of its own (a fresh group, from
 * the end of the topic) sees it: splits a command's way to its view into the relay's part and the
 * read side's. An upper bound, as it includes this consumer's own fetch.
 */
final class RecordArrivals implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final Thread polling;

    RecordArrivals(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-arrivals-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                consumer.close();
                throw new IllegalStateException("No partition of " + topic + " was assigned within a minute");
            }
            consumer.poll(Duration.ofMillis(100));
        }
        polling = new Thread(this::poll, "bench-arrivals");
        polling.setDaemon(true);
        polling.start();
    }

    private void poll() {
        try {
            while (true) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    arrived.putIfAbsent(record.key(), now);
                }
            }
        }
        catch (WakeupException closing) {
            // closed
        }
        finally {
            consumer.close();
        }
    }

    /** When the first record of {@code key} arrived ({@link System#nanoTime()}), or {@code null}. */
    Long arrival(String key) {
        return arrived.get(key);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        polling.join();
    }
}

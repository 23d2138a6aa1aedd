package io.ordercqrs.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.ordercqrs.command.outbox.OutboxWriter;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.Topics;
import io.ordercqrs.testsupport.RealServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures the outbox relay of the real command service against embedded PostgreSQL and Kafka:
 * <ol>
 * <li>the drain rate of a backlog of {@code backlog} rows committed while no relay ran;</li>
 * <li>at low load (20 events/s), the time from a transaction's commit to the event's arrival at a
 * Kafka consumer, and the relay's own commit-to-acknowledgement timer.</li>
 * </ol>
 * Arguments: {@code [backlog] [lowLoadEvents]}, default {@code 100000 600}.
 */
public final class RelayBenchmark {

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        }
        catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int backlog = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 100_000;
        int lowLoadEvents = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        RealServers servers = RealServers.get();
        ConfigurableApplicationContext api = CommandServiceInstance.start(true, false);
        JdbcTemplate jdbc = api.getBean(JdbcTemplate.class);
        OutboxWriter outbox = api.getBean(OutboxWriter.class);
        TransactionTemplate transactions = api.getBean(TransactionTemplate.class);
        jdbc.update("delete from outbox");

        System.out.printf("Committing a backlog of %,d events while no relay runs...%n", backlog);
        long writeStart = System.nanoTime();
        int orders = backlog / 4;
        for (int batch = 0; batch < orders; batch += 250) {
            int from = batch;
            transactions.executeWithoutResult(status -> {
                List<OrderEvent> events = new ArrayList<>();
                for (int i = from; i < Math.min(from + 250, orders); i++) {
                    UUID order = UUID.randomUUID();
                    UUID customer = UUID.randomUUID();
                    for (int sequence = 1; sequence <= 4; sequence++) {
                        events.add(BenchmarkEvents.lifecycle(order, customer, sequence));
                    }
                }
                outbox.append(events);
            });
        }
        System.out.printf("  committed in %.1f s%n", (System.nanoTime() - writeStart) / 1e9);

        long relayStart = System.nanoTime();
        ConfigurableApplicationContext relay = CommandServiceInstance.start(false, true);
        long contextReady = System.nanoTime();
        long remaining;
        do {
            Thread.sleep(100);
            remaining = jdbc.queryForObject("select count(*) from outbox where published_at is null", Long.class);
        }
        while (remaining > 0);
        long drained = System.nanoTime();
        Double window = jdbc.queryForObject(
                "select extract(epoch from max(published_at) - min(published_at)) from outbox", Double.class);
        System.out.printf("Drain: %,d rows in %.2f s after the relay's context was up (%.1f s incl. start-up): "
                + "%,.0f rows/s (%,.0f rows/s between first and last published_at)%n", backlog,
                (drained - contextReady) / 1e9, (drained - relayStart) / 1e9, backlog / ((drained - contextReady) / 1e9),
                backlog / Math.max(window, 1e-3));

        System.out.printf("Low load: %d events, one per transaction, 20 per second...%n", lowLoadEvents);
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> consume(servers.kafkaBootstrapServers(), arrivedAt, reading));
        consumer.start();
        Thread.sleep(2000);
        for (int i = 0; i < lowLoadEvents; i++) {
            OrderEvent event = BenchmarkEvents.lifecycle(UUID.randomUUID(), UUID.randomUUID(), 1);
            transactions.executeWithoutResult(status -> outbox.append(List.of(event)));
            committedAt.put(event.eventId().toString(), System.nanoTime());
            Thread.sleep(50);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!arrivedAt.keySet().containsAll(committedAt.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        reading.set(false);
        consumer.join();
        List<Long> latencies = new ArrayList<>();
        committedAt.forEach((id, committed) -> {
            Long arrived = arrivedAt.get(id);
            if (arrived != null) {
                latencies.add(arrived - committed);
            }
        });
        System.out.println("  commit -> Kafka consumer:       " + new Percentiles(latencies).summary());
        Timer timer = relay.getBean(MeterRegistry.class).find("ordercqrs.outbox.publish.latency").timer();
        if (timer != null) {
            StringBuilder relayTimer = new StringBuilder("  relay timer (event time -> ack): n=" + timer.count());
            for (ValueAtPercentile percentile : timer.takeSnapshot().percentileValues()) {
                relayTimer.append(String.format(" p%.0f=%.1f ms", percentile.percentile() * 100,
                        percentile.value(TimeUnit.MILLISECONDS)));
            }
            System.out.println(relayTimer + " (all events, backlog included)");
        }
        relay.close();
        api.close();
    }

    private static void consume(String bootstrapServers, Map<String, Long> arrivedAt, AtomicBoolean reading) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ORDER_EVENTS).stream()
                    .map(info -> new TopicPartition(Topics.ORDER_EVENTS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    arrivedAt.putIfAbsent(new String(record.headers().lastHeader("ce_id").value()), System.nanoTime());
                }
            }
        }
    }
}

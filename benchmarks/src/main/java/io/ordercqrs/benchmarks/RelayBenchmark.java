package io.ordercqrs.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.command.outbox.OutboxEntry;
import io.ordercqrs.command.outbox.OutboxWriter;
import io.ordercqrs.command.outbox.Position;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventMetadata;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.Topics;
import io.ordercqrs.testsupport.RealServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures the outbox relay of the real command service against embedded PostgreSQL and Kafka,
 * each figure beside its ceiling, measured in the same run with the same producer settings:
 * <ol>
 * <li>ceiling: a bare {@code KafkaProducer} sending the backlog's own records, as fast as it can (three
 * times, the median: it varies most from run to run on a shared machine);</li>
 * <li>the relay's drain rate of a backlog of {@code backlog} rows committed while no relay ran, after
 * the same relay code drained a fifth as many first (so both modes are measured warm);</li>
 * <li>at low load ({@code rate} events per second), the time from send to a Kafka consumer for the
 * bare producer, and from a transaction's commit to the same consumer through the relay.</li>
 * </ol>
 * Both relay modes are measured the same way ({@code cdc}, which streams the backlog from the
 * write-ahead log because its slot is created before the backlog is written, then {@code polling}).
 * Ends with {@code RESULT <name> <value> <unit>} lines ({@code relay_*} for polling,
 * {@code relay_cdc_*} for change data capture). Arguments: {@code [backlog] [lowLoadEvents] [rate]
 * [mode]}, default {@code 100000 600 50 both}; mode is {@code polling}, {@code cdc} or {@code both}.
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
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        String mode = args.length > 3 ? args[3] : "both";
        // Change data capture first: its slot then holds exactly the backlog, and what it publishes moves
        // the positions polling starts from (reset before the polling drain) past its own low-load events.
        List<String> modes = mode.equals("both") ? List.of("cdc", "polling") : List.of(mode);
        RealServers servers = RealServers.get();
        ConfigurableApplicationContext api = CommandServiceInstance.start(true, false);
        JdbcTemplate jdbc = api.getBean(JdbcTemplate.class);
        OutboxWriter outbox = api.getBean(OutboxWriter.class);
        TransactionTemplate transactions = api.getBean(TransactionTemplate.class);
        Map<String, Object> producerConfig = new HashMap<>(
                api.getBean(ProducerFactory.class).getConfigurationProperties());
        jdbc.update("delete from outbox_held");
        jdbc.update("delete from outbox");
        jdbc.update("update outbox_positions set txid = '0', id = 0");
        Map<String, String> results = new LinkedHashMap<>();
        if (modes.contains("cdc")) {
            // The slot is created (and the engine's position stored) before the backlog, so the cdc
            // relay streams the backlog from the log rather than taking a snapshot of the table.
            ConfigurableApplicationContext first = CommandServiceInstance.start(false, true, "cdc");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (jdbc.queryForObject("select count(*) from outbox_cdc_offsets", Long.class) == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            first.close();
        }

        // Warm-up rows, drained first by each mode's relay code: the measured drains run warm.
        int warmUp = backlog / 5;
        commitBacklog(transactions, outbox, warmUp);
        long warmedUpTo = jdbc.queryForObject("select coalesce(max(id), 0) from outbox", Long.class);
        if (modes.contains("cdc")) {
            ConfigurableApplicationContext warming = CommandServiceInstance.start(false, true, "cdc");
            awaitPublished(warming, warmUp);
            awaitBacklog(jdbc, Duration.ofSeconds(30));
            // The engine stores its position past a batch when it hands over a later one (a mark comes
            // every second): then the measured relay starts after the warm-up rows.
            Thread.sleep(2000);
            warming.close();
        }
        System.out.printf("Committing a backlog of %,d events while no relay runs...%n", backlog);
        long writeStart = System.nanoTime();
        commitBacklog(transactions, outbox, backlog);
        System.out.printf("  committed in %.1f s%n", (System.nanoTime() - writeStart) / 1e9);

        double ceiling = bareProducerRate(producerConfig, records(jdbc, warmedUpTo));
        System.out.printf("Ceiling: a bare KafkaProducer sends the same %,d records at %,.0f records/s%n", backlog,
                ceiling);
        results.put("ceiling", String.format("RESULT relay_bare_producer_rate %.0f records-per-s", ceiling));
        for (String relayMode : modes) {
            // Polling starts from the beginning: the warm-up rows first, then the backlog.
            jdbc.update("update outbox_positions set txid = '0', id = 0");
            ConfigurableApplicationContext relay = CommandServiceInstance.start(false, true, relayMode);
            double drain = drainRate(relay, relayMode.equals("cdc") ? 0 : warmUp, backlog);
            long remaining = awaitBacklog(jdbc, Duration.ofSeconds(30));
            relay.close();
            System.out.printf("Drain (%s): %,d rows at %,.0f rows/s from the first to the last acknowledgement; %.2f "
                    + "of the ceiling; %d rows left behind positions afterwards%n", relayMode, backlog, drain,
                    drain / ceiling, remaining);
            String name = prefix(relayMode);
            results.put(name + "drain", String.format("RESULT %sdrain_rate %.0f rows-per-s", name, drain));
            results.put(name + "ratio", String.format("RESULT %sdrain_ratio %.3f of-bare-producer", name,
                    drain / ceiling));
        }

        System.out.printf("Low load: %d events at %d per second, Kafka alone then through the relay...%n",
                lowLoadEvents, rate);
        try (ArrivalClock arrivals = new ArrivalClock(servers.kafkaBootstrapServers())) {
            arrivals.measure(rate, rate, new BareSender(producerConfig));
            Percentiles kafkaAlone = arrivals.measure(lowLoadEvents, rate, new BareSender(producerConfig));
            System.out.println("  Kafka alone, send -> consumer:       " + kafkaAlone.summary());
            results.put("kafka_p50", String.format("RESULT kafka_alone_p50 %.1f ms", kafkaAlone.at(50)));
            results.put("kafka_p99", String.format("RESULT kafka_alone_p99 %.1f ms", kafkaAlone.at(99)));
            for (String relayMode : modes) {
                ConfigurableApplicationContext relay = CommandServiceInstance.start(false, true, relayMode);
                awaitBacklog(jdbc, Duration.ofSeconds(120));
                // One second of events first, unmeasured: the relay has started (the engine streams).
                arrivals.measure(rate, rate, event -> transactions.executeWithoutResult(
                        status -> outbox.append(List.of(event))));
                Percentiles throughRelay = arrivals.measure(lowLoadEvents, rate,
                        event -> transactions.executeWithoutResult(status -> outbox.append(List.of(event))));
                relay.close();
                String name = prefix(relayMode);
                System.out.printf("  relay (%s), commit -> consumer:  %s%n", relayMode, throughRelay.summary());
                System.out.printf("  p99 above Kafka alone: %.1f ms%n", throughRelay.at(99) - kafkaAlone.at(99));
                results.put(name + "p50", String.format("RESULT %scommit_to_consumer_p50 %.1f ms", name,
                        throughRelay.at(50)));
                results.put(name + "p99", String.format("RESULT %scommit_to_consumer_p99 %.1f ms", name,
                        throughRelay.at(99)));
                results.put(name + "gap", String.format("RESULT %sp99_above_kafka_alone %.1f ms", name,
                        throughRelay.at(99) - kafkaAlone.at(99)));
            }
        }
        api.close();
        results.values().forEach(System.out::println);
    }

    /** The prefix of a mode's RESULT names: {@code relay_} for polling (as before), {@code relay_cdc_}. */
    private static String prefix(String relayMode) {
        return relayMode.equals("cdc") ? "relay_cdc_" : "relay_";
    }

    /** Commits {@code events} events, four per order, 1,000 per transaction. */
    private static void commitBacklog(TransactionTemplate transactions, OutboxWriter outbox, int events) {
        int orders = events / 4;
        for (int batch = 0; batch < orders; batch += 250) {
            int from = batch;
            transactions.executeWithoutResult(status -> {
                List<OrderEvent> written = new ArrayList<>();
                for (int i = from; i < Math.min(from + 250, orders); i++) {
                    UUID order = UUID.randomUUID();
                    UUID customer = UUID.randomUUID();
                    for (int sequence = 1; sequence <= 4; sequence++) {
                        written.add(BenchmarkEvents.lifecycle(order, customer, sequence));
                    }
                }
                outbox.append(written);
            });
        }
    }

    private static Counter published(ConfigurableApplicationContext relay) {
        return relay.getBean(MeterRegistry.class).get("ordercqrs.outbox.published").counter();
    }

    private static void awaitPublished(ConfigurableApplicationContext relay, int rows) throws InterruptedException {
        Counter published = published(relay);
        while (published.count() < rows) {
            Thread.sleep(5);
        }
    }

    /**
     * Rows per second from the relay's acknowledgement of row {@code skip} to that of row
     * {@code skip + backlog}.
     */
    private static double drainRate(ConfigurableApplicationContext relay, int skip, int backlog)
            throws InterruptedException {
        Counter published = published(relay);
        long firstAt = 0;
        while (published.count() < skip + backlog) {
            if (firstAt == 0 && published.count() > skip) {
                firstAt = System.nanoTime();
            }
            Thread.sleep(5);
        }
        return backlog / ((System.nanoTime() - firstAt) / 1e9);
    }

    /** The backlog's rows (after {@code afterId}) as the records the relay would send. */
    private static List<ProducerRecord<String, byte[]>> records(JdbcTemplate jdbc, long afterId) {
        EventCodec codec = new EventCodec();
        return jdbc.query("""
                select id, event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version, payload::text,
                       headers::text, occurred_at from outbox where id > ? order by id
                """, (rs, row) -> codec.toProducerRecord(new OutboxEntry(rs.getLong(1), 0,
                new Position(0, rs.getLong(1)), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                rs.getString(9), rs.getTimestamp(10).toInstant()).toEnvelope("/bench")), afterId);
    }

    /** The median of three sends of every record, after a warm-up on a tenth of them. */
    private static double bareProducerRate(Map<String, Object> config, List<ProducerRecord<String, byte[]>> records)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            send(producer, records.subList(0, records.size() / 10));
            List<Double> rates = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                send(producer, records);
                rates.add(records.size() / ((System.nanoTime() - start) / 1e9));
            }
            System.out.printf("  bare producer: %,.0f / %,.0f / %,.0f records/s%n", rates.get(0), rates.get(1),
                    rates.get(2));
            return rates.stream().sorted().toList().get(1);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records)
            throws InterruptedException {
        CountDownLatch acknowledged = new CountDownLatch(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
                acknowledged.countDown();
            });
        }
        acknowledged.await();
    }

    private static long awaitBacklog(JdbcTemplate jdbc, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long remaining;
        do {
            remaining = jdbc.queryForObject("""
                    select count(*) from outbox o join outbox_positions p on p.slot = o.slot
                     where (o.txid, o.id) > (p.txid, p.id)""", Long.class);
            if (remaining > 0) {
                Thread.sleep(100);
            }
        }
        while (remaining > 0 && System.nanoTime() < deadline);
        return remaining;
    }

    /** Sends one event straight to Kafka, as the relay would, without the outbox. */
    private static final class BareSender implements java.util.function.Consumer<OrderEvent>, AutoCloseable {

        private final KafkaProducer<String, byte[]> producer;
        private final EventCodec codec = new EventCodec();

        BareSender(Map<String, Object> config) {
            this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public void accept(OrderEvent event) {
            producer.send(codec.toProducerRecord(codec.encode(event, EventMetadata.from("/bench"))));
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** A consumer of the order topic that notes when each event arrives. */
    private static final class ArrivalClock implements AutoCloseable {

        private final Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        private final AtomicBoolean reading = new AtomicBoolean(true);
        private final Thread consumer;

        ArrivalClock(String bootstrapServers) throws InterruptedException {
            CountDownLatch assigned = new CountDownLatch(1);
            consumer = new Thread(() -> consume(bootstrapServers, assigned));
            consumer.start();
            assigned.await();
        }

        /** Hands {@code count} events to {@code publish} at {@code perSecond}; answers publish-to-arrival times. */
        Percentiles measure(int count, int perSecond, java.util.function.Consumer<OrderEvent> publish)
                throws InterruptedException {
            Map<String, Long> publishedAt = new ConcurrentHashMap<>();
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                OrderEvent event = BenchmarkEvents.lifecycle(UUID.randomUUID(), UUID.randomUUID(), 1);
                publish.accept(event);
                // Sent (Kafka alone), or committed (the relay): from here on the event is the system's to deliver.
                publishedAt.put(event.eventId().toString(), System.nanoTime());
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!arrivedAt.keySet().containsAll(publishedAt.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (publish instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                }
                catch (Exception ignored) {
                    // measured already
                }
            }
            List<Long> latencies = new ArrayList<>();
            publishedAt.forEach((id, at) -> {
                Long arrived = arrivedAt.get(id);
                if (arrived != null) {
                    latencies.add(arrived - at);
                }
            });
            return new Percentiles(latencies);
        }

        private void consume(String bootstrapServers, CountDownLatch assigned) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10))) {
                List<TopicPartition> partitions = kafka.partitionsFor(Topics.ORDER_EVENTS).stream()
                        .map(info -> new TopicPartition(Topics.ORDER_EVENTS, info.partition())).toList();
                kafka.assign(partitions);
                kafka.seekToEnd(partitions);
                partitions.forEach(kafka::position);
                assigned.countDown();
                while (reading.get()) {
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(20))) {
                        arrivedAt.putIfAbsent(new String(record.headers().lastHeader("ce_id").value()),
                                System.nanoTime());
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            reading.set(false);
            consumer.join();
        }
    }
}

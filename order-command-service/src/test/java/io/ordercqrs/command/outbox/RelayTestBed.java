package io.ordercqrs.command.outbox;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import io.ordercqrs.events.ShippingAddress;
import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.testsupport.RealServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A database of its own (migrated by Flyway) and relays built by hand on it, so relay tests
 * control exactly which relays run, how many, and when they die.
 */
final class RelayTestBed implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    final RealServers servers = RealServers.get();
    final RelaySettings.Mode mode;
    final String slotName;
    final String jdbcUrl;
    final HikariDataSource dataSource;
    final JdbcTemplate jdbc;
    final OutboxEntries entries;
    private final OutboxWriter writer;
    private final TransactionTemplate transactions;
    private final List<Relay> relays = new ArrayList<>();

    /** A bed whose relays poll. */
    RelayTestBed() {
        this(RelaySettings.Mode.POLLING);
    }

    /** A bed whose relays run in the given mode; in {@code cdc} mode each bed has a slot of its own. */
    RelayTestBed(RelaySettings.Mode mode) {
        this.mode = mode;
        String database = "relay_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet() + "_"
                + System.nanoTime() % 100_000;
        slotName = database;
        jdbcUrl = servers.createDatabase(database);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(servers.jdbcUsername());
        config.setPassword(servers.jdbcPassword());
        config.setMaximumPoolSize(16);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        entries = new OutboxEntries(dataSource);
        DefaultListableBeanFactory none = new DefaultListableBeanFactory();
        writer = new OutboxWriter(JdbcClient.create(dataSource), new EventCodec(), new OutboxSettings("/relay-test"),
                JsonMapper.shared(), new TraceContexts(none.getBeanProvider(Tracer.class),
                        none.getBeanProvider(Propagator.class)));
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        createTopics();
    }

    static RelaySettings settings(Duration pollInterval, Duration rebalanceInterval, int maxRecordBytes) {
        return new RelaySettings(true, RelaySettings.Mode.POLLING, 200, pollInterval, rebalanceInterval,
                Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(15), maxRecordBytes, 1869901668,
                cdc("ordercqrs_outbox"));
    }

    private static RelaySettings.Cdc cdc(String slotName) {
        return new RelaySettings.Cdc(slotName, "ordercqrs_outbox", Duration.ofMillis(200), Duration.ofMillis(10));
    }

    /** The settings in this bed's mode, on this bed's slot. */
    RelaySettings inMode(RelaySettings settings) {
        return inMode(settings, mode, slotName);
    }

    static RelaySettings inMode(RelaySettings settings, RelaySettings.Mode mode, String slotName) {
        return new RelaySettings(settings.enabled(), mode, settings.batchSize(), settings.pollInterval(),
                settings.rebalanceInterval(), settings.initialBackoff(), settings.maxBackoff(), settings.sendTimeout(),
                settings.maxRecordBytes(), settings.lockNamespace(), cdc(slotName));
    }

    static RelaySettings settings(int maxRecordBytes) {
        return settings(Duration.ofMillis(500), Duration.ofMillis(200), maxRecordBytes);
    }

    static RelaySettings settings() {
        return settings(1_000_000);
    }

    /** A started relay, in this bed's mode, on this bed's database. */
    Relay startRelay(RelaySettings settings) {
        return startRelay(settings, RecordSender.producers(producerConfig(servers.kafkaBootstrapServers())));
    }

    /** A started relay, in this bed's mode, on this bed's database whose producers come from the given supplier. */
    Relay startRelay(RelaySettings settings, Supplier<Producer<String, byte[]>> producers) {
        Relay relay = relay(inMode(settings), jdbcUrl, servers.jdbcUsername(), servers.jdbcPassword(),
                servers.kafkaBootstrapServers(), producers, "relay-test");
        relay.start();
        relays.add(relay);
        return relay;
    }

    /** A relay in the settings' mode, as the application builds it. */
    static Relay relay(RelaySettings settings, String jdbcUrl, String user, String password, String bootstrapServers,
            Supplier<Producer<String, byte[]>> producers, String applicationName) {
        RecordSender sender = new RecordSender(producers, new EventCodec(), "/relay-test", settings.maxRecordBytes());
        org.springframework.jdbc.datasource.DriverManagerDataSource dataSource =
                new org.springframework.jdbc.datasource.DriverManagerDataSource(jdbcUrl, user, password);
        Properties identity = new Properties();
        identity.setProperty("ApplicationName", applicationName);
        dataSource.setConnectionProperties(identity);
        SlotOwnership.ConnectionFactory connections = () -> {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("ApplicationName", applicationName);
            return DriverManager.getConnection(jdbcUrl, properties);
        };
        OutboxEntries entries = new OutboxEntries(dataSource);
        if (settings.mode() == RelaySettings.Mode.CDC) {
            return new CdcRelay(entries, new CdcMarks(dataSource), connections, sender, () -> true, settings,
                    CdcEngineConfig.of(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "ApplicationName="
                            + applicationName, user, password, bootstrapServers, settings), null);
        }
        return new OutboxRelay(entries, connections, sender, () -> true, settings, null);
    }

    /** The relay's producer settings, as the application configures them. */
    static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        return config;
    }

    java.sql.Connection connection(String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", servers.jdbcUsername());
        properties.setProperty("password", servers.jdbcPassword());
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** Commits events 1..count of a new order, one transaction per event like commands do. */
    UUID commitOrderEvents(int count) {
        UUID order = UUID.randomUUID();
        for (int sequence = 1; sequence <= count; sequence++) {
            commit(event(order, sequence));
        }
        return order;
    }

    void commit(OrderEvent event) {
        transactions.executeWithoutResult(status -> writer.append(List.of(event)));
    }

    /** An order event with the given sequence: placed first, then synthetic shipment updates. */
    static OrderEvent event(UUID order, long sequence) {
        return event(order, sequence, "");
    }

    static OrderEvent event(UUID order, long sequence, String padding) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CustomerId customer = CustomerId.of(new UUID(0, 42));
        if (sequence == 1) {
            return new OrderPlaced(UUID.randomUUID(), OrderId.of(order), 1, now, customer,
                    List.of(new OrderPlaced.Line("SKU-1", "Manual" + padding, 1, Money.of("1.00", "EUR"))),
                    Money.of("1.00", "EUR"), new ShippingAddress("Ada", "Main St", "1", "Berlin", "DE"));
        }
        return new OrderShipped(UUID.randomUUID(), OrderId.of(order), sequence, now, customer, "DHL",
                "T-" + sequence + padding);
    }

    /** Rows not yet acknowledged by Kafka: after their slot's position, or set aside. */
    long unpublished() {
        return entries.backlog().size();
    }

    /** Moves every slot's position past its last row, as if the relay had published everything. */
    void markAllPublished() {
        jdbc.update("""
                update outbox_positions p set txid = m.txid, id = m.id
                  from (select distinct on (slot) slot, txid, id from outbox order by slot, txid desc, id desc) m
                 where p.slot = m.slot
                """);
    }

    /** Sets the order events topic's own record size limit, as ops might; {@code null} removes it. */
    void limitTopicRecordSize(Integer maxMessageBytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ORDER_EVENTS);
            AlterConfigOp change = maxMessageBytes == null
                    ? new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)
                    : new AlterConfigOp(new ConfigEntry("max.message.bytes", maxMessageBytes.toString()),
                            AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(change))).all().get();
            String expected = maxMessageBytes == null ? null : maxMessageBytes.toString();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                ConfigEntry entry = admin.describeConfigs(List.of(topic)).all().get().get(topic)
                        .get("max.message.bytes");
                return expected == null ? entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                        : expected.equals(entry.value());
            });
        }
    }

    /** Waits until every row is published (or the timeout passes); answers the rows still waiting. */
    long awaitAllPublished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unpublished() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return unpublished();
    }

    /** The PostgreSQL backend process of a connection. */
    static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet pid = statement.executeQuery("select pg_backend_pid()")) {
            pid.next();
            return pid.getInt(1);
        }
    }

    /** The sequences of one aggregate in the order they were read from Kafka. */
    static List<Long> sequencesOf(UUID aggregate, List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(record -> aggregate.toString().equals(record.key()))
                .map(record -> Long.parseLong(new String(record.headers().lastHeader("ce_sequence").value())))
                .toList();
    }

    private void createTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrapServers()))) {
            for (String topic : Topics.ALL) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
                }
                catch (Exception e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    /**
     * Makes the relays' records of what Kafka acknowledged hang (until the session ends): the
     * slots' positions, and in {@code cdc} mode the engine's stored position too. A session held
     * there sleeps in {@code pg_sleep} ({@code wait_event} {@code PgSleep}).
     */
    void holdPositionWrites() {
        jdbc.execute("""
                create function hold_marks() returns trigger language plpgsql as $$
                begin perform pg_sleep(120); return new; end; $$
                """);
        jdbc.execute("create trigger hold_marks before update on outbox_positions for each row "
                + "execute function hold_marks()");
        if (mode == RelaySettings.Mode.CDC) {
            jdbc.execute("create trigger hold_marks before insert on outbox_cdc_offsets for each row "
                    + "execute function hold_marks()");
        }
    }

    void releasePositionWrites() {
        jdbc.execute("drop trigger hold_marks on outbox_positions");
        if (mode == RelaySettings.Mode.CDC) {
            jdbc.execute("drop trigger hold_marks on outbox_cdc_offsets");
        }
    }

    @Override
    public void close() {
        relays.forEach(Relay::stop);
        if (mode == RelaySettings.Mode.CDC) {
            // A slot keeps the log for as long as it exists: drop it once its relay let go.
            jdbc.execute("select pg_terminate_backend(active_pid) from pg_replication_slots "
                    + "where slot_name = '" + slotName + "' and active_pid is not null");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                jdbc.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots "
                        + "where slot_name = '" + slotName + "'");
                return true;
            });
        }
        dataSource.close();
    }
}

package io.ordercqrs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.CustomerRegistered;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.ShippingAddress;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventMetadata;
import io.ordercqrs.localservers.LocalPostgres;
import io.ordercqrs.opscli.OpsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * View generations on the launched stack, as people run it: a rebuild survives stopping and
 * starting everything, before, during and after it, without losing a view; a rebuild from the
 * command side's retained history ends with the same views, and fails, saying why, when that
 * history lacks events; and with two query instances, killing one (SIGKILL) in the middle of a
 * rebuild, or in the middle of reading the history, leaves the other to finish it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GenerationsSystemTests {

    private static final Set<String> UNDER_WAY = Set.of("BUILDING", "READY", "SWITCHING");
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private StackSettings settings;
    private Stack stack;
    private String ops;

    @BeforeAll
    void startStack() throws Exception {
        Path data = Files.createTempDirectory("ordercqrs-generations");
        settings = StackSettings.onFreePorts(Path.of(System.getProperty("ordercqrs.home", "..")).toAbsolutePath()
                .normalize(), data);
        stack = Stack.start(settings);
        ops = stack.issuer().mint("ops-tests", "ops", Duration.ofHours(1));
        new DemoData(stack).loadOnce(data);
        awaitVerifiedClean();
    }

    @AfterAll
    void stopStack() {
        stack.close();
    }

    @Test
    @Order(1)
    void keepsEveryViewThroughARebuildAndAStopAndStartOfEverything() throws Exception {
        List<String> before = orders();

        JsonNode started = send("POST", "/admin/rebuilds/all");
        JsonNode rebuilt = awaitRebuild(state -> !UNDER_WAY.contains(state));
        restart();

        assertThat(started.get("state").asString()).isEqualTo("BUILDING");
        assertThat(rebuilt.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(orders()).as("every order view, after the rebuild and the restart").isEqualTo(before);
        assertThat(send("GET", "/admin/rebuilds/current").get("active").asBoolean()).isTrue();
        awaitVerifiedClean();
    }

    @Test
    @Order(2)
    void losesNoViewWhenEverythingStopsRightAfterARebuildStarted() throws Exception {
        List<String> before = orders();

        JsonNode started = send("POST", "/admin/rebuilds/all");
        restart();
        JsonNode finished = awaitRebuild(state -> !UNDER_WAY.contains(state));

        assertThat(finished.get("generation").asLong()).isEqualTo(started.get("generation").asLong());
        assertThat(finished.get("state").asString()).as("resumed and switched in after the restart")
                .isEqualTo("ACTIVE");
        assertThat(orders()).isEqualTo(before);
        awaitVerifiedClean();
    }

    @Test
    @Order(3)
    void rebuildsFromTheCommandSidesHistoryThenGoesOnFromTheTopics() throws Exception {
        List<String> before = orders();
        String placed = before.stream().filter(order -> order.contains(" PLACED ")).findFirst().orElseThrow()
                .split(" ")[0];

        JsonNode started = send("POST", "/admin/rebuilds/all?from=history");
        new StackClient(stack.commandUrl(), ops).post("/orders/" + placed + "/cancellation",
                Map.of("reason", "cancelled while the history is read"));
        JsonNode rebuilt = awaitRebuild(state -> !UNDER_WAY.contains(state));
        List<String> expected = before.stream().map(order -> order.startsWith(placed + " ") ? placed + " CANCELLED "
                + (Long.parseLong(order.split(" ")[2]) + 1) : order).toList();
        // The cancel reaches the new generation from the topics, right after the switch at the latest.
        awaitUntil(() -> orders().equals(expected), Duration.ofSeconds(30));

        assertThat(started.get("source").asString()).isEqualTo("HISTORY");
        assertThat(rebuilt.get("state").asString()).as(rebuilt.toString()).isEqualTo("ACTIVE");
        assertThat(rebuilt.get("historyRead").asBoolean()).isTrue();
        assertThat(rebuilt.get("historyEvents").asLong()).as("at least one event per order")
                .isGreaterThanOrEqualTo(before.size());
        assertThat(orders()).as("every order view, the one cancelled meanwhile at its new version")
                .isEqualTo(expected);
        awaitVerifiedClean();
    }

    @Test
    @Order(4)
    void goesOnReadingTheHistoryOnTheOtherInstanceWhenItsReaderIsKilled() throws Exception {
        List<String> before = orders();
        // A lease shorter than the default 15 s, so the other instance goes on sooner after the kill,
        // and still far longer than the replica takes to start reading and be killed.
        ServiceProcess replica = stack.startQueryReplica("order-query-service-reader",
                Map.of("ORDERCQRS_GENERATIONS_HISTORYLEASE", "6s"));
        JsonNode started;
        String readerWhenKilled;
        try (Connection database = database();
             Statement statement = database.createStatement()) {
            // The replica's first page of the history waits behind this lock, so it is killed mid-read.
            database.setAutoCommit(false);
            statement.execute("lock table outbox in access exclusive mode");
            started = call("POST", replica.url(), "/admin/rebuilds/all?from=history");
            awaitUntil(this::aHistoryPageWaitsForTheLock, Duration.ofSeconds(30));
            readerWhenKilled = send("GET", "/admin/rebuilds/current").get("historyReader").asString();
            replica.handle().destroyForcibly();
            replica.handle().onExit().get();
            database.rollback();
        }
        JsonNode finished = awaitRebuild(state -> !UNDER_WAY.contains(state));

        assertThat(started.get("source").asString()).isEqualTo("HISTORY");
        assertThat(readerWhenKilled).as("the replica was reading").startsWith(replica.handle().pid() + "@");
        assertThat(finished.get("generation").asLong()).isEqualTo(started.get("generation").asLong());
        assertThat(finished.get("state").asString()).as(finished.toString()).isEqualTo("ACTIVE");
        assertThat(finished.get("historyRead").asBoolean()).isTrue();
        assertThat(finished.get("historyEvents").asLong()).as("every retained event, read once")
                .isEqualTo(retainedEvents());
        assertThat(finished.get("historyReader").asString()).as("the other instance read it")
                .startsWith(stack.queryProcess().pid() + "@");
        assertThat(orders()).isEqualTo(before);
        awaitVerifiedClean();
    }

    private long retainedEvents() throws Exception {
        try (Connection database = database();
             Statement statement = database.createStatement();
             ResultSet count = statement.executeQuery("select count(*) from outbox")) {
            count.next();
            return count.getLong(1);
        }
    }

    /** Whether the command side's query for a page of the history waits for a lock on the outbox. */
    private boolean aHistoryPageWaitsForTheLock() throws Exception {
        try (Connection database = database();
             Statement statement = database.createStatement();
             ResultSet waiting = statement.executeQuery("select count(*) from pg_stat_activity where pid <> "
                     + "pg_backend_pid() and wait_event_type = 'Lock' and query like '%(o.slot, o.txid, o.id) > (%'")) {
            return waiting.next() && waiting.getLong(1) > 0;
        }
    }

    @Test
    @Order(5)
    void finishesARebuildWhenTheOtherOfTwoQueryInstancesIsKilledInTheMiddle() throws Exception {
        ServiceProcess replica = stack.startQueryReplica("order-query-service-replica");
        long before = totalOrders();
        int published = publishOrdersStraightToKafka(8000);
        awaitUntil(() -> totalOrders() == before + published, Duration.ofMinutes(2));
        long total = totalOrders();

        JsonNode started = call("POST", replica.url(), "/admin/rebuilds/all");
        awaitUntil(() -> send("GET", "/admin/rebuilds/current").get("eventsDone").asLong() > 0
                || !UNDER_WAY.contains(send("GET", "/admin/rebuilds/current").get("state").asString()),
                Duration.ofMinutes(2));
        String stateWhenKilled = send("GET", "/admin/rebuilds/current").get("state").asString();
        replica.handle().destroyForcibly();
        JsonNode finished = awaitRebuild(state -> !UNDER_WAY.contains(state));

        assertThat(started.get("state").asString()).isEqualTo("BUILDING");
        assertThat(stateWhenKilled).as("killed in the middle of the rebuild").isEqualTo("BUILDING");
        assertThat(replica.handle().isAlive()).isFalse();
        assertThat(finished.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(finished.get("skipped").asLong()).isZero();
        assertThat(totalOrders()).as("every order view in the new generation").isEqualTo(total);
    }

    @Test
    @Order(6)
    void failsARebuildFromAHistoryThatLacksEventsSayingWhichAndKeepsTheActiveViews() throws Exception {
        List<String> before = orders();
        String paid;
        // As the command side's retention leaves it: an order's first event is gone from the history.
        try (Connection database = database();
             Statement statement = database.createStatement();
             ResultSet found = statement.executeQuery(
                     "select aggregate_id from outbox where aggregate_type = 'order' and sequence = 2 limit 1")) {
            assertThat(found.next()).isTrue();
            paid = found.getString(1);
            assertThat(statement.executeUpdate("delete from outbox where aggregate_id = '" + paid
                    + "' and sequence = 1")).isEqualTo(1);
        }

        JsonNode started = send("POST", "/admin/rebuilds/all?from=history");
        JsonNode failed = awaitRebuild(state -> !UNDER_WAY.contains(state));

        assertThat(failed.get("generation").asLong()).isEqualTo(started.get("generation").asLong());
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.get("active").asBoolean()).isFalse();
        assertThat(failed.get("note").asString()).contains(paid).contains("retention");
        assertThat(orders()).as("the active views as they were").isEqualTo(before);
    }

    /** A connection to the command side's database. */
    private Connection database() throws Exception {
        return DriverManager.getConnection(stack.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    /** Every order view as the query API lists it (id, status, version), newest first. */
    private List<String> orders() throws Exception {
        List<String> orders = new ArrayList<>();
        for (JsonNode order : send("GET", "/orders?size=100").get("items")) {
            orders.add(order.get("id").asString() + " " + order.get("status").asString() + " "
                    + order.get("version").asLong());
        }
        assertThat(orders).isNotEmpty();
        return orders;
    }

    private long totalOrders() throws Exception {
        return send("GET", "/orders?size=1").get("totalItems").asLong();
    }

    /** Publishes {@code count} orders, placed and paid, of 50 customers, as the relay would. */
    private int publishOrdersStraightToKafka(int count) {
        EventCodec codec = new EventCodec();
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            List<CustomerId> customers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                CustomerId customer = CustomerId.of(UUID.randomUUID());
                customers.add(customer);
                producer.send(codec.toProducerRecord(codec.encode(new CustomerRegistered(UUID.randomUUID(), customer,
                        1, now, "Customer " + i, "c" + i + "@example.org"), EventMetadata.from("/tests"))));
            }
            for (int i = 0; i < count; i++) {
                OrderId order = OrderId.of(UUID.randomUUID());
                CustomerId customer = customers.get(i % customers.size());
                producer.send(codec.toProducerRecord(codec.encode(new OrderPlaced(UUID.randomUUID(), order, 1, now,
                        customer, List.of(new OrderPlaced.Line("B", "Beans", 1, Money.of("9.99", "EUR"))),
                        Money.of("9.99", "EUR"), new ShippingAddress("B", "S 1", "1", "C", "DE")),
                        EventMetadata.from("/tests"))));
                producer.send(codec.toProducerRecord(codec.encode(new OrderPaid(UUID.randomUUID(), order, 2, now,
                        customer, Money.of("9.99", "EUR"), "P"), EventMetadata.from("/tests"))));
            }
            producer.flush();
        }
        return count;
    }

    private void restart() throws Exception {
        stack.close();
        stack = Stack.start(settings);
        ops = stack.issuer().mint("ops-tests", "ops", Duration.ofHours(1));
    }

    private JsonNode awaitRebuild(Predicate<String> done) throws Exception {
        awaitUntil(() -> done.test(send("GET", "/admin/rebuilds/current").get("state").asString()),
                Duration.ofMinutes(3));
        return send("GET", "/admin/rebuilds/current");
    }

    private void awaitVerifiedClean() throws Exception {
        awaitUntil(() -> verify().contains(": 0 differences"), Duration.ofMinutes(1));
    }

    private String verify() {
        StringWriter out = new StringWriter();
        var commandLine = OpsCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        commandLine.execute("--url", stack.queryUrl(), "--token", ops, "verify");
        return out.toString();
    }

    private JsonNode send(String method, String path) throws Exception {
        return call(method, stack.queryUrl(), path);
    }

    private JsonNode call(String method, String baseUrl, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + ops).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isLessThan(300);
        return JSON.readTree(response.body());
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Condition condition, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + atMost);
            }
            Thread.sleep(100);
        }
    }
}

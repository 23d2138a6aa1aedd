package io.ordercqrs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.ordercqrs.opscli.OpsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * The whole system as people run it: the launcher starts real servers and both services from
 * their runnable jars. A command travels through outbox, relay, Kafka and projection to the query
 * API; ops verify, repair and rebuild views with the CLI; Ctrl-C (closing the stack) leaves no
 * process behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackSystemTests {

    private Path data;
    private Stack stack;
    private String opsToken;

    @BeforeAll
    void startStack() throws Exception {
        data = Files.createTempDirectory("ordercqrs-stack");
        stack = Stack.start(new StackSettings(Path.of(System.getProperty("ordercqrs.home", "..")).toAbsolutePath()
                .normalize(), data, 0, 0, 0, 0, 0, 0));
        opsToken = tokenFromIssuer("ops", "ops");
    }

    @AfterAll
    void stopStack() {
        List<ProcessHandle> services = stack.serviceProcesses();
        stack.close();
        assertThat(services).as("no service process is left behind").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    @Order(1)
    void readsAnOrderPlacedThroughCommandsBackFromTheQueryApiAtTheCommandsVersion() throws Exception {
        UUID customerId = UUID.randomUUID();
        String token = tokenFromIssuer(customerId.toString(), "customer");
        StackClient command = new StackClient(stack.commandUrl(), token);
        StackClient query = new StackClient(stack.queryUrl(), token);

        command.post("/customers", Map.of("name", "Ada Lovelace", "email", "ada-" + customerId + "@example.org"));
        JsonNode placed = command.post("/orders", Map.of("currency", "EUR",
                "lines", List.of(Map.of("sku", "BEANS", "productName", "Espresso beans", "quantity", 2,
                        "unitPrice", "12.50")),
                "shippingAddress", Map.of("recipient", "Ada", "street", "1 Analytical Way", "postalCode", "10115",
                        "city", "Berlin", "country", "DE")));
        JsonNode view = query.get("/orders/" + placed.get("id").asString() + "?minVersion="
                + placed.get("version").asLong());

        assertThat(view.get("version").asLong()).isEqualTo(placed.get("version").asLong());
        assertThat(view.get("status").asString()).isEqualTo("PLACED");
        assertThat(view.get("total").get("amount").asString()).isEqualTo("25.00");
        assertThat(view.get("customerName").asString()).isEqualTo("Ada Lovelace");
    }

    @Test
    @Order(2)
    void loadsDemoDataInEveryStateOnce() throws Exception {
        String demo = new DemoData(stack).loadOnce(data);

        assertThat(demo).contains("PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED");
        assertThat(new DemoData(stack).loadOnce(data)).contains("earlier run");
        StackClient ops = new StackClient(stack.queryUrl(), opsToken);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && verify().contains("difference") && !verify().contains(": 0 differences")) {
            Thread.sleep(300);
        }
        JsonNode delivered = ops.get("/orders?status=DELIVERED");
        assertThat(delivered.get("totalItems").asLong()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void verifiesAViewCorruptedByHandAndReplaysItBackToHealth() {
        assertThat(cli("verify").output()).contains("0 differences");
        StackClient ops = new StackClient(stack.queryUrl(), opsToken);
        String orderId = ops.get("/orders?status=PAID&size=1").get("items").get(0).get("id").asString();
        long generation = 0;
        for (JsonNode listed : ops.get("/admin/generations")) {
            if (listed.get("active").asBoolean()) {
                generation = listed.get("generation").asLong();
            }
        }
        try (MongoClient mongo = MongoClients.create(stack.mongoUri())) {
            mongo.getDatabase("ordercqrs").getCollection("order_views_g" + generation).updateOne(Filters.eq("_id", orderId),
                    Updates.combine(Updates.set("status", "DELIVERED"), Updates.set("customerEmail", "x@evil.example")));
        }

        Run before = cli("verify");
        Run replay = cli("replay", "order", orderId, "--source", "outbox");
        Run after = cli("verify");

        assertThat(before.exitCode()).isEqualTo(3);
        assertThat(before.output()).contains("MISMATCH", orderId, "status: expected PAID, found DELIVERED",
                "customerEmail", "2 differences");
        assertThat(replay.exitCode()).isZero();
        assertThat(replay.output()).contains("view repaired");
        assertThat(after.exitCode()).isZero();
        assertThat(after.output()).contains("0 differences");
    }

    @Test
    @Order(3)
    void answers404ForAFailedOutboxRowTheCommandSideDoesNotHave() throws Exception {
        java.net.http.HttpResponse<String> missing = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.queryUrl()
                                + "/admin/dead-letters/outbox-999999999/retry"))
                        .header("Authorization", "Bearer " + opsToken)
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("not-found", "999999999");
    }

    @Test
    @Order(4)
    void rebuildsWithAProgressBarAndListsRetriesAndDiscardsAPoisonRecord() throws Exception {
        Run rebuild = cli("rebuild", "order_views", "--poll", "PT0.1S");

        assertThat(rebuild.exitCode()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("started", "rebuild done:", "events/s").containsPattern("\\[#+");
        assertThat(cli("verify").output()).as("the rebuilt views match the source").contains("0 differences");

        String poisoned = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("orders.order.events", poisoned,
                    "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        String id = awaitListed(poisoned);

        Run retried = cli("dead-letters", "retry", id);
        Run discarded = cli("dead-letters", "discard", id, "--reason", "test garbage");
        Run listed = cli("dead-letters", "list", "--aggregate", poisoned);

        assertThat(retried.exitCode()).isEqualTo(1);
        assertThat(retried.output()).contains("parked again: " + id);
        assertThat(discarded.output()).contains("discarded " + id);
        assertThat(listed.output()).contains("0 stuck");
        assertThat(cli("--token", "not-a-token", "verify").exitCode()).isEqualTo(2);
    }

    @Test
    @Order(5)
    void exportsEveryMetricTheOnCallDashboardQueries() throws Exception {
        Path dashboard = Path.of(System.getProperty("ordercqrs.home", "..")).toAbsolutePath().normalize()
                .resolve("deploy/grafana/ordercqrs-dashboard.json");
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : JsonMapper.shared().readTree(Files.readString(dashboard)).get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queried.addAll(metricNames(target.get("expr").asString()));
            }
        }
        Set<String> exported = new TreeSet<>();
        exported.addAll(scrape(stack.commandUrl()));
        exported.addAll(scrape(stack.queryUrl()));

        assertThat(queried).as("what an on-call engineer looks at").contains("ordercqrs_consumer_lag",
                "ordercqrs_projection_lag_seconds_bucket", "ordercqrs_projection_dead_letters",
                "ordercqrs_rebuild_events_done", "ordercqrs_rebuild_events_target", "ordercqrs_outbox_backlog",
                "ordercqrs_outbox_oldest_age_seconds", "ordercqrs_query_streams_open",
                "ordercqrs_async_commands_pending");
        assertThat(exported).as("series the services export").containsAll(queried);
    }

    @Test
    @Order(6)
    void followsOneTraceFromTheCommandToTheOrderView() throws Exception {
        UUID customerId = UUID.randomUUID();
        String token = tokenFromIssuer(customerId.toString(), "customer");
        new StackClient(stack.commandUrl(), token).post("/customers",
                Map.of("name", "Grace Hopper", "email", "grace-" + customerId + "@example.org"));
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String body = JsonMapper.shared().writeValueAsString(Map.of("currency", "EUR",
                "lines", List.of(Map.of("sku", "TEA", "productName", "Green tea", "quantity", 1, "unitPrice", "4.20")),
                "shippingAddress", Map.of("recipient", "Grace", "street", "1 Compiler Road", "postalCode", "10115",
                        "city", "Berlin", "country", "DE")));

        HttpResponse<String> placed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.commandUrl() + "/orders"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode order = JsonMapper.shared().readTree(placed.body());
        JsonNode view = new StackClient(stack.queryUrl(), token).get("/orders/" + order.get("id").asString()
                + "?minVersion=" + order.get("version").asLong());

        assertThat(placed.statusCode()).isEqualTo(201);
        assertThat(view.get("timeline").get(0).get("traceId").asString())
                .as("the view's timeline names the trace of the request that placed the order").isEqualTo(traceId);
    }

    /**
     * The metric names a PromQL expression reads: identifiers outside label matchers, ranges and
     * groupings that are not functions.
     */
    static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\(?)").matcher(bare);
        while (identifier.find()) {
            if (identifier.group(2).isEmpty() && !List.of("and", "or", "unless", "bool", "offset")
                    .contains(identifier.group(1))) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    /** The names of the series {@code baseUrl} exports to Prometheus. */
    private Set<String> scrape(String baseUrl) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(baseUrl + "/actuator/prometheus")).header("Authorization", "Bearer " + opsToken).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        response.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private String awaitListed(String aggregate) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Run listed = cli("dead-letters", "list", "--aggregate", aggregate);
            if (listed.output().contains("PARKED")) {
                assertThat(listed.output()).contains("MalformedEvent");
                return listed.output().lines().filter(line -> line.contains("PARKED")).findFirst().orElseThrow()
                        .split("\\s+")[0];
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the poison record was not parked");
    }

    private String verify() {
        return cli("verify").output();
    }

    record Run(int exitCode, String output) {
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        var commandLine = OpsCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        String[] withConnection = new String[args.length + 4];
        withConnection[0] = "--url";
        withConnection[1] = stack.queryUrl();
        withConnection[2] = "--token";
        withConnection[3] = opsToken;
        System.arraycopy(args, 0, withConnection, 4, args.length);
        int exit = commandLine.execute(withConnection);
        return new Run(exit, out.toString());
    }

    /** Gets a token the way the README tells people to: a form POST to the issuer's token endpoint. */
    private String tokenFromIssuer(String subject, String role) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.issuer().issuerUri() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("subject=" + subject + "&role=" + role)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body()).get("access_token").asString();
    }
}

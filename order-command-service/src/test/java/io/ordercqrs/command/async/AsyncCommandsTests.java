package io.ordercqrs.command.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.ApiClient.Response;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Commands sent with {@code Prefer: respond-async}: answered 202 at once, run later, and ending as
 * the synchronous request would have: done with the same answer, or failed with the same problem.
 */
@CommandServiceTest
class AsyncCommandsTests {

    static final Map<String, String> ASYNC = Map.of("Prefer", "respond-async");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AcceptedCommandRunner runner;

    @Autowired
    MeterRegistry registry;

    @Autowired
    AcceptedCommands acceptedCommands;

    @Autowired
    PlatformTransactionManager transactionManager;

    CommandApi api;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
    }

    @Test
    void placesAnOrderLaterAndEndsDoneWithTheAnswerASynchronousCallGives() {
        CommandApi.Customer customer = api.registerCustomer();

        Response accepted = api.post(customer.token(), "/orders", CommandApi.orderBody(null), ASYNC);

        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        assertThat(accepted.header("Preference-Applied")).isEqualTo("respond-async");
        assertThat(accepted.header("Location")).isEqualTo("/commands/" + accepted.text("/id"));
        assertThat(accepted.text("/operation")).isEqualTo("POST /orders");
        JsonNode done = awaitCompleted(customer.token(), accepted);
        assertThat(done.get("state").asString()).isEqualTo("done");
        assertThat(done.at("/result/status").asInt()).isEqualTo(201);
        assertThat(done.at("/result/version").asLong()).isEqualTo(1);
        String location = done.at("/result/location").asString();
        assertThat(location).matches("/orders/[0-9a-f-]{36}");
        Response order = api.http.get(customer.token(), location);
        assertThat(order.status()).isEqualTo(200);
        assertThat(done.at("/result/body")).isEqualTo(order.body());
        Response synchronous = api.placeOrder(customer.token());
        assertThat(fieldNames(done.at("/result/body"))).isEqualTo(fieldNames(synchronous.body()));
        assertThat(jdbc.queryForObject("select count(*) from outbox where aggregate_id = ?", Long.class,
                UUID.fromString(order.text("/id")))).as("its event is in the outbox").isEqualTo(1);
    }

    @Test
    void aCommandRunLaterBelongsToTheTraceOfTheRequestThatSentIt() {
        CommandApi.Customer customer = api.registerCustomer();
        String trace = UUID.randomUUID().toString().replace("-", "");

        Response accepted = api.post(customer.token(), "/orders", CommandApi.orderBody(null),
                Map.of("Prefer", "respond-async", "traceparent", "00-" + trace + "-b7ad6b7169203331-01"));

        String order = awaitCompleted(customer.token(), accepted).at("/result/body/id").asString();
        String traceparent = jdbc.queryForObject("select headers->>'traceparent' from outbox where aggregate_id = ?",
                String.class, UUID.fromString(order));
        assertThat(traceparent).startsWith("00-" + trace + "-").doesNotContain("b7ad6b7169203331");
    }

    @Test
    void aRefusedCommandEndsFailedWithTheProblemTheSynchronousCallAnswers() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);
        Map<String, Object> wrongAmount = CommandApi.payment("1.00");

        Response synchronous = api.post(customer.token(), "/orders/" + order + "/payment", wrongAmount, Map.of());
        Response accepted = api.post(customer.token(), "/orders/" + order + "/payment", wrongAmount, ASYNC);

        assertThat(synchronous.status()).isEqualTo(422);
        assertThat(accepted.status()).isEqualTo(202);
        JsonNode failed = awaitCompleted(customer.token(), accepted);
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.has("result")).isFalse();
        assertThat(failed.get("problem")).isEqualTo(synchronous.body());
        assertThat(api.http.get(customer.token(), "/orders/" + order).text("/status")).isEqualTo("PLACED");
    }

    @Test
    void aStaleIfMatchEndsFailedWithTheCurrentVersion() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);
        assertThat(api.pay(customer.token(), order).status()).isEqualTo(200);

        Response accepted = api.post(customer.token(), "/orders/" + order + "/cancellation",
                Map.of("reason", "too slow"), Map.of("Prefer", "respond-async", "If-Match", "\"1\""));

        JsonNode failed = awaitCompleted(customer.token(), accepted);
        assertThat(failed.at("/problem/status").asInt()).isEqualTo(412);
        assertThat(failed.at("/problem/type").asString()).endsWith("/version-mismatch");
        assertThat(failed.at("/problem/currentVersion").asLong()).isEqualTo(2);
        assertThat(api.http.get(customer.token(), "/orders/" + order).text("/status")).isEqualTo("PAID");
    }

    @Test
    void commandsOnOneOrderRunOneAtATimeInTheOrderTheyWereAccepted() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);

        List<Response> accepted;
        runner.stop();
        try {
            accepted = List.of(
                    api.post(customer.token(), "/orders/" + order + "/payment", CommandApi.payment("27.97"), ASYNC),
                    api.post(TestTokens.ops(), "/orders/" + order + "/shipment",
                            Map.of("carrier", "DHL", "trackingNumber", "JJD0001"), ASYNC),
                    api.post(TestTokens.ops(), "/orders/" + order + "/delivery", null, ASYNC));
        }
        finally {
            // Both workers find all three waiting at once.
            runner.start();
        }

        List<JsonNode> done = accepted.stream().map(command -> awaitCompleted(TestTokens.ops(), command)).toList();
        assertThat(done).extracting(status -> status.get("state").asString()).containsOnly("done");
        assertThat(done).extracting(status -> status.at("/result/version").asLong()).containsExactly(2L, 3L, 4L);
        assertThat(api.http.get(customer.token(), "/orders/" + order).text("/status")).isEqualTo("DELIVERED");
    }

    @Test
    void aWorkerClaimsACommandWithoutTakingATransactionIdAndNoOtherWorkerClaimsItMeanwhile() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        Response accepted;
        String transactionId;
        Optional<AcceptedCommands.Accepted> claimed;
        Optional<AcceptedCommands.Accepted> claimedBySecondWorker;
        runner.stop();
        try {
            accepted = api.post(customer.token(), "/orders/" + order + "/payment", CommandApi.payment("27.97"), ASYNC);
            String id = accepted.header("Location").substring(accepted.header("Location").lastIndexOf('/') + 1);
            Object[] seen = transaction.execute(status -> {
                Optional<AcceptedCommands.Accepted> first = acceptedCommands.claimNext(List.of("order.pay"))
                        .filter(command -> command.id().toString().equals(id));
                // Transaction ids order an aggregate's events on Kafka: one taken before the command reads its
                // order could be older than that of a command on the same order committing in between.
                String xid = jdbc.queryForObject("select pg_current_xact_id_if_assigned()::text", String.class);
                Optional<AcceptedCommands.Accepted> second = CompletableFuture.supplyAsync(() -> transaction.execute(
                        other -> acceptedCommands.claimNext(List.of("order.pay")).filter(command -> command.id()
                                .toString().equals(id)))).join();
                return new Object[] {first, xid, second};
            });
            claimed = cast(seen[0]);
            transactionId = (String) seen[1];
            claimedBySecondWorker = cast(seen[2]);
        }
        finally {
            runner.start();
        }

        assertThat(claimed).as("claimed by the first worker").isPresent();
        assertThat(transactionId).as("no transaction id taken by the claim").isNull();
        assertThat(claimedBySecondWorker).as("not claimed by a second worker while the first holds it").isEmpty();
        assertThat(awaitCompleted(customer.token(), accepted).get("state").asString())
                .as("run once the first worker let it go without running it").isEqualTo("done");
    }

    @Test
    void recordsARefusalOnceWhenTwoWorkersRanTheCommand() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        ResponseEntity<ProblemDetail> refusal = ResponseEntity.unprocessableEntity()
                .body(ProblemDetail.forStatus(HttpStatus.UNPROCESSABLE_ENTITY));
        Boolean first;
        Boolean second;
        runner.stop();
        try {
            Response accepted = api.post(customer.token(), "/orders/" + order + "/payment",
                    CommandApi.payment("1.00"), ASYNC);
            UUID id = UUID.fromString(accepted.header("Location").substring(
                    accepted.header("Location").lastIndexOf('/') + 1));
            // A refusal lets the claim go with the rolled-back command: another worker may run it meanwhile.
            first = transaction.execute(status -> acceptedCommands.failed(id, refusal));
            second = transaction.execute(status -> acceptedCommands.failed(id, refusal));
        }
        finally {
            runner.start();
        }

        assertThat(first).as("the first worker's answer is recorded").isTrue();
        assertThat(second).as("the second finds it answered, and counts nothing").isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Optional<AcceptedCommands.Accepted> cast(Object claimed) {
        return (Optional<AcceptedCommands.Accepted>) claimed;
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheSame202AndRunsOnce() {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, String> headers = Map.of("Prefer", "respond-async",
                "Idempotency-Key", UUID.randomUUID().toString());

        Response first = api.post(customer.token(), "/orders", CommandApi.orderBody(null), headers);
        Response retry = api.post(customer.token(), "/orders", CommandApi.orderBody(null), headers);

        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("Preference-Applied")).isEqualTo("respond-async");
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(awaitCompleted(customer.token(), first).get("state").asString()).isEqualTo("done");
        assertThat(jdbc.queryForObject("select count(*) from orders where customer_id = ?", Long.class,
                customer.id())).isEqualTo(1);
    }

    @Test
    void registersACustomerLaterAndChangesTheirDetailsLater() {
        UUID id = UUID.randomUUID();
        String token = TestTokens.customer(id);

        Response registered = api.post(token, "/customers",
                Map.of("name", "Grace Hopper", "email", id + "@example.com"), ASYNC);
        assertThat(awaitCompleted(token, registered).at("/result/location").asString()).isEqualTo("/customers/" + id);
        Response changed = api.http.call(HttpMethod.PUT, token, "/customers/" + id + "/details",
                Map.of("name", "Rear Admiral Hopper", "email", id + "@example.com"), ASYNC);

        assertThat(changed.status()).isEqualTo(202);
        JsonNode done = awaitCompleted(token, changed);
        assertThat(done.at("/result/version").asLong()).isEqualTo(2);
        assertThat(api.http.get(token, "/customers/" + id).text("/name")).isEqualTo("Rear Admiral Hopper");
    }

    @Test
    void badInputIsRefusedAtOnceAndNothingIsAccepted() {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, Object> body = new HashMap<>(CommandApi.orderBody(null));
        body.put("lines", List.of());
        long acceptedBefore = jdbc.queryForObject("select count(*) from accepted_commands", Long.class);

        Response refused = api.post(customer.token(), "/orders", body, ASYNC);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("/errors/0/field")).isEqualTo("lines");
        assertThat(jdbc.queryForObject("select count(*) from accepted_commands", Long.class)).isEqualTo(acceptedBefore);
    }

    @Test
    void aCommandsStatusIsTheSendersAndOpsOnly() {
        CommandApi.Customer sender = api.registerCustomer();
        CommandApi.Customer other = api.registerCustomer();
        Response accepted = api.post(sender.token(), "/orders", CommandApi.orderBody(null), ASYNC);
        String status = accepted.header("Location");

        assertThat(api.http.get(other.token(), status).status()).isEqualTo(404);
        assertThat(api.http.get(TestTokens.ops(), status).status()).isEqualTo(200);
        assertThat(api.http.get(null, status).status()).isEqualTo(401);
        assertThat(api.http.get(sender.token(), "/commands/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void forgetsAStatusTheRetentionAfterTheCommandRanButNeverAPendingOne() {
        CommandApi.Customer customer = api.registerCustomer();
        Response ran = api.post(customer.token(), "/orders", CommandApi.orderBody(null), ASYNC);
        awaitCompleted(customer.token(), ran);
        jdbc.update("update accepted_commands set completed_at = completed_at - interval '25 hours' where id = ?",
                UUID.fromString(ran.text("/id")));
        UUID waiting = UUID.randomUUID();
        // Pending for 25 hours: a kind no worker of this version runs.
        jdbc.update("""
                insert into accepted_commands (id, caller, caller_roles, operation, kind, aggregate, command,
                                               accepted_at)
                values (?, ?, 'CUSTOMER', 'POST /orders', 'order.unknown-to-this-version', ?, '{}',
                        now() - interval '25 hours')""", waiting, customer.id().toString(), "order:" + waiting);
        try {
            acceptedCommands.forgetCompleted();

            assertThat(api.http.get(customer.token(), ran.header("Location")).status()).isEqualTo(404);
            assertThat(api.http.get(customer.token(), "/commands/" + waiting).text("/state")).isEqualTo("pending");
        }
        finally {
            jdbc.update("delete from accepted_commands where id = ?", waiting);
        }
    }

    @Test
    void countsWaitingAndFailedCommandsForTheDashboard() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);
        double failedBefore = registry.get("ordercqrs.async-commands.completed").tag("state", "failed").counter()
                .count();
        Response accepted;
        runner.stop();
        try {
            accepted = api.post(customer.token(), "/orders/" + order + "/payment", CommandApi.payment("1.00"), ASYNC);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(registry.get("ordercqrs.async-commands.pending").gauge().value()).isEqualTo(1);
                assertThat(registry.get("ordercqrs.async-commands.oldest.age").gauge().value()).isPositive();
            });
        }
        finally {
            runner.start();
        }

        assertThat(awaitCompleted(customer.token(), accepted).get("state").asString()).isEqualTo("failed");
        assertThat(registry.get("ordercqrs.async-commands.completed").tag("state", "failed").counter().count())
                .isEqualTo(failedBefore + 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(registry.get("ordercqrs.async-commands.pending").gauge().value()).isZero());
    }

    private JsonNode awaitCompleted(String token, Response accepted) {
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        String location = accepted.header("Location");
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            Response status = api.http.get(token, location);
            assertThat(status.status()).as("%s", status).isEqualTo(200);
            return status.body();
        }, status -> !status.get("state").asString().equals("pending"));
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.propertyNames().stream().sorted().toList();
    }
}

package io.ordercqrs.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.command.OutboxRows;
import io.ordercqrs.testsupport.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@CommandServiceTest
class IdempotencyIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    CommandApi api;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
    }

    @Test
    void answersARetryWithTheFirstAnswerAndPlacesOneOrder() {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, String> key = Map.of("Idempotency-Key", "order-" + UUID.randomUUID());

        Response first = api.post(customer.token(), "/orders", CommandApi.orderBody(null), key);
        Response retry = api.post(customer.token(), "/orders", CommandApi.orderBody(null), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(ordersOf(customer.id())).isEqualTo(1);
        assertThat(new OutboxRows(jdbc).sequencesOf(UUID.fromString(first.text("/id")))).containsExactly(1L);
    }

    @Test
    void answersARetriedPaymentWithTheFirstAnswerRatherThanAlreadyPaid() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);
        Map<String, String> key = Map.of("Idempotency-Key", "pay-" + UUID.randomUUID());
        Map<String, Object> payment = CommandApi.payment("27.97");

        Response first = api.post(customer.token(), "/orders/" + order + "/payment", payment, key);
        Response retry = api.post(customer.token(), "/orders/" + order + "/payment", payment, key);
        Response withoutKey = api.pay(customer.token(), order);

        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(retry.status()).as("the first answer, not 'already paid'").isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(withoutKey.status()).as("a new request is a new command").isEqualTo(409);
        assertThat(new OutboxRows(jdbc).sequencesOf(order)).containsExactly(1L, 2L);
    }

    @Test
    void refusesTheSameKeyWithADifferentRequest() {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        api.post(customer.token(), "/orders", CommandApi.orderBody(null), key);
        Map<String, Object> otherBody = new java.util.HashMap<>(CommandApi.orderBody(null));
        otherBody.put("currency", "USD");

        Response reused = api.post(customer.token(), "/orders", otherBody, key);

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.text("/type")).endsWith("/idempotency-key-reused");
        assertThat(ordersOf(customer.id())).isEqualTo(1);
    }

    @Test
    void keepsEachCallersKeysApart() {
        CommandApi.Customer alice = api.registerCustomer();
        CommandApi.Customer bob = api.registerCustomer();
        Map<String, String> key = Map.of("Idempotency-Key", "same-key-" + UUID.randomUUID());

        Response forAlice = api.post(alice.token(), "/orders", CommandApi.orderBody(null), key);
        Response forBob = api.post(bob.token(), "/orders", CommandApi.orderBody(null), key);

        assertThat(forAlice.status()).isEqualTo(201);
        assertThat(forBob.status()).isEqualTo(201);
        assertThat(forBob.text("/customerId")).isEqualTo(bob.id().toString());
    }

    @Test
    void forgetsTheKeyOfARefusedCommand() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Response refused = api.post(customer.token(), "/orders/" + orderId + "/payment", CommandApi.payment("1.00"), key);
        Response corrected = api.post(customer.token(), "/orders/" + orderId + "/payment", CommandApi.payment("27.97"),
                key);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(corrected.status()).isEqualTo(200);
        assertThat(corrected.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void concurrentRetriesWithOneKeyPlaceOneOrder() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Response>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            attempts.add(() -> api.post(customer.token(), "/orders", CommandApi.orderBody(null), key));
        }

        List<Response> answers = new ArrayList<>();
        for (Future<Response> answer : pool.invokeAll(attempts)) {
            answers.add(answer.get());
        }
        pool.shutdown();

        assertThat(answers).extracting(Response::status).containsOnly(201);
        assertThat(answers).extracting(answer -> answer.text("/id")).containsOnly(answers.get(0).text("/id"));
        assertThat(ordersOf(customer.id())).isEqualTo(1);
    }

    @Test
    void refusesKeysThatAreNotPrintableAscii() {
        CommandApi.Customer customer = api.registerCustomer();

        Response refused = api.post(customer.token(), "/orders", CommandApi.orderBody(null),
                Map.of("Idempotency-Key", "x".repeat(300)));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("/errors/0/field")).isEqualTo("Idempotency-Key");
        assertThat(ordersOf(customer.id())).isZero();
    }

    private long ordersOf(UUID customerId) {
        return jdbc.queryForObject("select count(*) from orders where customer_id = ?", Long.class, customerId);
    }
}

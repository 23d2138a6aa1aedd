package io.ordercqrs.command.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.command.OutboxRows;
import io.ordercqrs.testsupport.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Two commands racing on one order: one wins, the other gets 409, and exactly one event is written. */
@CommandServiceTest
class ConcurrentCommandsIntegrationTests {

    private static final int RACERS = 16;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    CommandApi api;
    OutboxRows outbox;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
        outbox = new OutboxRows(jdbc);
    }

    @Test
    void letsExactlyOneOfManyPaymentsThrough() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);

        List<Response> answers = race(() -> api.pay(customer.token(), orderId), RACERS);

        assertThat(answers).extracting(Response::status).containsOnly(200, 409);
        assertThat(answers).filteredOn(answer -> answer.status() == 200).hasSize(1);
        assertConsistent(orderId, "PAID");
    }

    @Test
    void letsEitherTheShipmentOrTheCancellationThroughNeverBoth() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);
        assertThat(api.pay(customer.token(), orderId).status()).isEqualTo(200);
        List<Callable<Response>> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            racers.add(i % 2 == 0 ? () -> api.ship(orderId) : () -> api.cancel(customer.token(), orderId));
        }

        List<Response> answers = race(racers);

        assertThat(answers).extracting(Response::status).containsOnly(200, 409);
        List<Response> winners = answers.stream().filter(answer -> answer.status() == 200).toList();
        assertThat(winners).hasSize(1);
        assertConsistent(orderId, winners.get(0).text("/status"));
    }

    private void assertConsistent(UUID orderId, String expectedStatus) {
        long version = jdbc.queryForObject("select version from orders where id = ?", Long.class, orderId);
        String status = jdbc.queryForObject("select status from orders where id = ?", String.class, orderId);
        assertThat(status).isEqualTo(expectedStatus);
        assertThat(outbox.sequencesOf(orderId)).as("a gapless event sequence up to the order's version")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, version).boxed().toList());
    }

    private static List<Response> race(Callable<Response> command, int times) throws Exception {
        List<Callable<Response>> racers = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            racers.add(command);
        }
        return race(racers);
    }

    private static List<Response> race(List<Callable<Response>> racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (Callable<Response> racer : racers) {
            futures.add(pool.submit(() -> {
                start.await();
                return racer.call();
            }));
        }
        start.countDown();
        List<Response> answers = new ArrayList<>();
        for (Future<Response> future : futures) {
            answers.add(future.get());
        }
        pool.shutdown();
        return answers;
    }
}

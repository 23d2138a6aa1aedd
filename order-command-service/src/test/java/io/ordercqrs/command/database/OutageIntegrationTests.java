package io.ordercqrs.command.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.ApiClient.Response;
import io.ordercqrs.testsupport.RealServers;
import io.ordercqrs.testsupport.TestTokens;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL and Kafka stalling under the running service (their processes paused, connections
 * left open and silent, as on a frozen machine): commands are answered within bounded time, with
 * 503 and {@code Retry-After} and no change when the database is away, and accepted when Kafka is
 * away; health answers within seconds and names the component that is down.
 */
@CommandServiceTest
class OutageIntegrationTests {

    final RealServers servers = RealServers.get();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    CommandApi api;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
    }

    @Test
    void answers503AndAppliesNothingWhilePostgresStallsThenAcceptsTheRetry() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, String> key = Map.of("Idempotency-Key", "stall-" + UUID.randomUUID());
        Response placed;
        Response health;
        try {
            servers.pausePostgres();
            placed = within(30, () -> api.post(customer.token(), "/orders", CommandApi.orderBody(null), key));
            health = within(10, () -> api.http.get(TestTokens.ops(), "/actuator/health"));
        }
        finally {
            servers.resumePostgres();
        }

        assertThat(placed.status()).isEqualTo(503);
        assertThat(placed.header("Retry-After")).isEqualTo("2");
        assertThat(placed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(placed.text("/type")).endsWith("database-unavailable");
        assertThat(health.text("/components/db/status")).isEqualTo("DOWN");
        assertThat(health.text("/components/db/details/error")).contains("PostgreSQL");
        assertThat(ordersOf(customer.id())).as("nothing applied").isZero();

        Response retried = eventually(() -> api.post(customer.token(), "/orders", CommandApi.orderBody(null), key),
                response -> response.status() != 503);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(ordersOf(customer.id())).isEqualTo(1);
        assertThat(eventually(() -> api.http.get(TestTokens.ops(), "/actuator/health/db"),
                response -> "UP".equals(response.text("/status"))).text("/status")).isEqualTo("UP");
    }

    @Test
    void refusesToCommitATransactionThatOutlivedItsCommitBudget() throws Exception {
        UUID aggregate = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("set local ordercqrs.commit_budget = '200ms'");
                statement.execute("insert into outbox (event_id, aggregate_type, aggregate_id, sequence, event_type, "
                        + "schema_version, payload, occurred_at) values (gen_random_uuid(), 'order', '" + aggregate
                        + "', 1, 'order.placed', 2, '{}', now())");
                // As if PostgreSQL had stalled here and resumed after the client gave up.
                statement.execute("select pg_sleep(0.3)");
            }
            assertThatThrownBy(connection::commit).satisfies(failure -> assertThat(DatabaseUnavailable.isCause(failure))
                    .isTrue());
            connection.rollback();
        }
        assertThat(jdbc.queryForObject("select count(*) from outbox where aggregate_id = ?", Long.class, aggregate))
                .isZero();
    }

    @Test
    void keepsAcceptingCommandsAndSaysKafkaIsDownWhileKafkaStalls() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId;
        Response kafka;
        Response readiness;
        Response outbox;
        try {
            servers.pauseKafka();
            orderId = within(30, () -> api.placedOrder(customer));
            kafka = eventually(() -> api.http.get(TestTokens.ops(), "/actuator/health/kafka"),
                    response -> "DOWN".equals(response.text("/status")));
            readiness = within(10, () -> api.http.get(null, "/actuator/health/readiness"));
            outbox = eventually(() -> api.http.get(TestTokens.ops(), "/actuator/health/outbox"),
                    response -> response.text("/details/lastError") != null);
        }
        finally {
            servers.resumeKafka();
        }

        assertThat(kafka.text("/status")).isEqualTo("DOWN");
        assertThat(kafka.text("/details/error")).contains("Kafka");
        assertThat(readiness.status()).as("commands keep being accepted").isEqualTo(200);
        assertThat(outbox.text("/details/lastError")).contains("Kafka");
        assertThat(eventually(() -> api.http.get(TestTokens.ops(), "/admin/outbox/aggregates/" + orderId + "/events"),
                response -> "PUBLISHED".equals(response.text("/0/state"))).text("/0/state")).isEqualTo("PUBLISHED");
        assertThat(eventually(() -> api.http.get(TestTokens.ops(), "/actuator/health/kafka"),
                response -> "UP".equals(response.text("/status"))).text("/status")).isEqualTo("UP");
    }

    private long ordersOf(UUID customerId) {
        return jdbc.queryForObject("select count(*) from orders where customer_id = ?", Long.class, customerId);
    }

    /** The call's answer, or a failure when it takes longer than the bound: a stall must not hold it. */
    private static <T> T within(int seconds, Supplier<T> call) throws Exception {
        return CompletableFuture.supplyAsync(call).get(seconds, TimeUnit.SECONDS);
    }

    /** Calls until the answer matches (at most 60 s, each call bounded); answers the matching answer. */
    private static Response eventually(Supplier<Response> call, Predicate<Response> done) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> within(30, call), done::test);
    }
}

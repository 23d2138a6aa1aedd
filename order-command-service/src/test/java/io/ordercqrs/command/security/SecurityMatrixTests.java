package io.ordercqrs.command.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Who may call what on the command side: every endpoint against anonymous, customer A (who owns
 * the order), customer B and ops, through the real JWT decoder. Each cell runs on a fresh customer
 * pair and order, so no cell depends on another.
 */
@CommandServiceTest
class SecurityMatrixTests {

    enum Caller { ANONYMOUS, CUSTOMER_A, CUSTOMER_B, OPS }

    /** What an endpoint needs to exist before it is called. */
    enum Setup { PLACED, PAID, SHIPPED, PAYMENT_ACCEPTED_FOR_LATER }

    /** One row: an endpoint and the status each caller gets, in the order of {@link Caller}. */
    record Row(String endpoint, HttpMethod method, String path, Setup setup, Function<Fixture, Object> body,
            int anonymous, int customerA, int customerB, int ops) {

        int expected(Caller caller) {
            return switch (caller) {
                case ANONYMOUS -> anonymous;
                case CUSTOMER_A -> customerA;
                case CUSTOMER_B -> customerB;
                case OPS -> ops;
            };
        }

        @Override
        public String toString() {
            return endpoint;
        }
    }

    /** Customer A with an order (and a command A sent with Prefer: respond-async, if set up), and customer B. */
    record Fixture(UUID customerA, UUID customerB, UUID order, UUID command) {
    }

    static final List<Row> ROWS = List.of(
            new Row("register a customer by id", HttpMethod.POST, "/customers", Setup.PLACED,
                    f -> Map.of("customerId", UUID.randomUUID().toString(), "name", "New",
                            "email", UUID.randomUUID() + "@example.org"),
                    401, 403, 403, 201),
            new Row("register oneself again", HttpMethod.POST, "/customers", Setup.PLACED,
                    f -> Map.of("name", "Again", "email", UUID.randomUUID() + "@example.org"),
                    401, 409, 409, 201),
            new Row("read a customer", HttpMethod.GET, "/customers/{a}", Setup.PLACED, f -> null, 401, 200, 404, 200),
            new Row("change a customer's details", HttpMethod.PUT, "/customers/{a}/details", Setup.PLACED,
                    f -> Map.of("name", "Changed", "email", UUID.randomUUID() + "@example.org"), 401, 200, 404, 200),
            new Row("place an order for A", HttpMethod.POST, "/orders", Setup.PLACED,
                    f -> CommandApi.orderBody(f.customerA()), 401, 201, 422, 201),
            new Row("read an order", HttpMethod.GET, "/orders/{order}", Setup.PLACED, f -> null, 401, 200, 404, 200),
            new Row("pay an order", HttpMethod.POST, "/orders/{order}/payment", Setup.PLACED,
                    f -> CommandApi.payment("27.97"), 401, 200, 404, 200),
            new Row("ship an order", HttpMethod.POST, "/orders/{order}/shipment", Setup.PAID,
                    f -> Map.of("carrier", "DHL", "trackingNumber", "T-1"), 401, 403, 404, 200),
            new Row("mark an order delivered", HttpMethod.POST, "/orders/{order}/delivery", Setup.SHIPPED, f -> null,
                    401, 403, 404, 200),
            new Row("cancel an order", HttpMethod.POST, "/orders/{order}/cancellation", Setup.PLACED,
                    f -> Map.of("reason", "changed my mind"), 401, 200, 404, 200),
            new Row("status of a command accepted for later", HttpMethod.GET, "/commands/{command}",
                    Setup.PAYMENT_ACCEPTED_FOR_LATER, f -> null, 401, 200, 404, 200),
            new Row("outbox status", HttpMethod.GET, "/admin/outbox", Setup.PLACED, f -> null, 401, 403, 403, 200),
            new Row("failed outbox rows", HttpMethod.GET, "/admin/outbox/failed", Setup.PLACED, f -> null,
                    401, 403, 403, 200),
            new Row("retry a failed outbox row", HttpMethod.POST, "/admin/outbox/failed/987654321/retry", Setup.PLACED,
                    f -> null, 401, 403, 403, 404),
            new Row("discard a failed outbox row", HttpMethod.POST, "/admin/outbox/failed/987654321/discard",
                    Setup.PLACED, f -> Map.of("reason", "not needed"), 401, 403, 403, 404),
            new Row("every retained event, paged", HttpMethod.GET, "/admin/outbox/events?limit=5", Setup.PLACED,
                    f -> null, 401, 403, 403, 200),
            new Row("an aggregate's retained events", HttpMethod.GET, "/admin/outbox/aggregates/{order}/events",
                    Setup.PLACED, f -> null, 401, 403, 403, 200),
            new Row("republish an aggregate", HttpMethod.POST, "/admin/outbox/aggregates/{order}/republish",
                    Setup.PLACED, f -> null, 401, 403, 403, 202),
            new Row("state snapshot: orders", HttpMethod.GET, "/admin/snapshot/orders?limit=5", Setup.PLACED, f -> null,
                    401, 403, 403, 200),
            new Row("state snapshot: customers", HttpMethod.GET, "/admin/snapshot/customers?limit=5", Setup.PLACED,
                    f -> null, 401, 403, 403, 200),
            new Row("health", HttpMethod.GET, "/actuator/health", Setup.PLACED, f -> null, 200, 200, 200, 200),
            new Row("liveness probe", HttpMethod.GET, "/actuator/health/liveness", Setup.PLACED, f -> null,
                    200, 200, 200, 200),
            new Row("info", HttpMethod.GET, "/actuator/info", Setup.PLACED, f -> null, 401, 403, 403, 200),
            new Row("metrics", HttpMethod.GET, "/actuator/metrics", Setup.PLACED, f -> null, 401, 403, 403, 200),
            new Row("prometheus", HttpMethod.GET, "/actuator/prometheus", Setup.PLACED, f -> null, 401, 403, 403, 200),
            new Row("API document", HttpMethod.GET, "/v3/api-docs", Setup.PLACED, f -> null, 200, 200, 200, 200),
            new Row("API UI", HttpMethod.GET, "/swagger-ui/index.html", Setup.PLACED, f -> null, 200, 200, 200, 200));

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    CommandApi api;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Row row : ROWS) {
            for (Caller caller : Caller.values()) {
                cells.add(Arguments.of(row, caller));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void answersEachCallerAsTheMatrixSays(Row row, Caller caller) {
        Fixture fixture = fixture(row.setup());
        String path = row.path().replace("{a}", fixture.customerA().toString())
                .replace("{order}", fixture.order().toString())
                .replace("{command}", String.valueOf(fixture.command()));

        ApiClient.Response response = api.http.call(row.method(), token(caller, fixture), path, row.body().apply(fixture),
                Map.of());

        assertThat(response.status()).as("%s %s as %s: %s", row.method(), path, caller, response)
                .isEqualTo(row.expected(caller));
        if (response.status() == 401 || response.status() == 403) {
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"PAY", "SHIP", "CANCEL", "READ"})
    void answersAnotherCustomersOrderAsNotFoundAndChangesNothing(Attempt attempt) {
        Fixture fixture = fixture(Setup.PAID);
        long versionBefore = version(fixture.order());
        long eventsBefore = events(fixture.order());

        ApiClient.Response response = attempt.by(api, TestTokens.customer(fixture.customerB()), fixture.order());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text("/detail")).doesNotContain(fixture.customerA().toString());
        assertThat(version(fixture.order())).isEqualTo(versionBefore);
        assertThat(events(fixture.order())).isEqualTo(eventsBefore);
    }

    @Test
    void coversEveryEndpointTheApplicationServes() {
        assertThat(ROWS).extracting(Row::path).contains("/customers", "/customers/{a}", "/customers/{a}/details",
                "/orders", "/orders/{order}", "/orders/{order}/payment", "/orders/{order}/shipment",
                "/orders/{order}/delivery", "/orders/{order}/cancellation", "/commands/{command}", "/admin/outbox", "/admin/outbox/failed",
                "/admin/outbox/aggregates/{order}/events", "/admin/outbox/aggregates/{order}/republish");
        ApiClient.Response docs = api.http.get(null, "/v3/api-docs");
        List<String> documented = new ArrayList<>();
        docs.body().get("paths").propertyNames().forEach(documented::add);
        List<String> covered = ROWS.stream().map(row -> row.path().replace("{a}", "{id}").replace("{order}", "{id}")
                .replace("{command}", "{id}")
                .replace("987654321", "{id}").replaceAll("\\?.*", "")).toList();
        assertThat(documented).allSatisfy(path -> assertThat(covered)
                .as("the matrix has a row for %s", path).contains(path.replaceAll("\\{[A-Za-z]+}", "{id}")));
    }

    enum Attempt {
        PAY, SHIP, CANCEL, READ;

        ApiClient.Response by(CommandApi api, String token, UUID order) {
            return switch (this) {
                case PAY -> api.pay(token, order);
                case SHIP -> api.http.post(token, "/orders/" + order + "/shipment",
                        Map.of("carrier", "DHL", "trackingNumber", "T-1"));
                case CANCEL -> api.cancel(token, order);
                case READ -> api.http.get(token, "/orders/" + order);
            };
        }
    }

    private Fixture fixture(Setup setup) {
        UUID a = register();
        UUID b = register();
        ApiClient.Response placed = api.http.post(TestTokens.ops(), "/orders", CommandApi.orderBody(a));
        assertThat(placed.status()).as("placing: %s", placed).isEqualTo(201);
        UUID order = UUID.fromString(placed.text("/id"));
        if (setup == Setup.PAID || setup == Setup.SHIPPED) {
            assertThat(api.pay(TestTokens.ops(), order).status()).isEqualTo(200);
        }
        if (setup == Setup.SHIPPED) {
            assertThat(api.ship(order).status()).isEqualTo(200);
        }
        UUID command = null;
        if (setup == Setup.PAYMENT_ACCEPTED_FOR_LATER) {
            ApiClient.Response accepted = api.post(TestTokens.customer(a), "/orders/" + order + "/payment",
                    CommandApi.payment("27.97"), Map.of("Prefer", "respond-async"));
            assertThat(accepted.status()).as("accepting: %s", accepted).isEqualTo(202);
            command = UUID.fromString(accepted.text("/id"));
        }
        return new Fixture(a, b, order, command);
    }

    private UUID register() {
        UUID id = UUID.randomUUID();
        ApiClient.Response registered = api.http.post(TestTokens.ops(), "/customers",
                Map.of("customerId", id.toString(), "name", "Customer", "email", id + "@example.org"));
        assertThat(registered.status()).as("registering: %s", registered).isEqualTo(201);
        return id;
    }

    private static String token(Caller caller, Fixture fixture) {
        return switch (caller) {
            case ANONYMOUS -> null;
            case CUSTOMER_A -> TestTokens.customer(fixture.customerA());
            case CUSTOMER_B -> TestTokens.customer(fixture.customerB());
            case OPS -> TestTokens.ops();
        };
    }

    private long version(UUID order) {
        return jdbc.queryForObject("select version from orders where id = ?", Long.class, order);
    }

    private long events(UUID order) {
        return jdbc.queryForObject("select count(*) from outbox where aggregate_id = ?", Long.class, order);
    }
}

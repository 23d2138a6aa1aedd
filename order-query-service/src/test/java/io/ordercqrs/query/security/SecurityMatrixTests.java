package io.ordercqrs.query.security;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.Topics;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.SseClient;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

/**
 * Who may call what on the query side: every endpoint against anonymous, customer A (who owns the
 * order), customer B and ops, through the real JWT decoder, plus the tokens that must get nobody in.
 */
@QueryServiceTest
class SecurityMatrixTests {

    enum Caller { ANONYMOUS, CUSTOMER_A, CUSTOMER_B, OPS }

    /** One row: an endpoint and the status each caller gets, in the order of {@link Caller}. */
    record Row(String endpoint, HttpMethod method, String path, Object body, int anonymous, int customerA,
            int customerB, int ops) {

        /** The path with the fixture's customer and order filled in. */
        String resolvedPath() {
            return path.replace("{a}", A.toString()).replace("{order}", ORDER.toString());
        }

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

    static final CustomerId A = TestEvents.newCustomer();
    static final CustomerId B = TestEvents.newCustomer();
    static final OrderId ORDER = TestEvents.newOrder();

    static final List<Row> ROWS = List.of(
            new Row("read an order", HttpMethod.GET, "/orders/{order}", null, 401, 200, 404, 200),
            new Row("list orders", HttpMethod.GET, "/orders", null, 401, 200, 200, 200),
            new Row("stream order views", HttpMethod.GET, "/orders/stream", null, 401, 200, 200, 200),
            new Row("a customer's order summary", HttpMethod.GET, "/customers/{a}/order-summary", null,
                    401, 200, 404, 200),
            new Row("list dead letters", HttpMethod.GET, "/admin/dead-letters", null, 401, 403, 403, 200),
            new Row("show a dead letter", HttpMethod.GET, "/admin/dead-letters/no-such-letter", null, 401, 403, 403, 404),
            new Row("retry a dead letter", HttpMethod.POST, "/admin/dead-letters/no-such-letter/retry", null,
                    401, 403, 403, 404),
            new Row("retry matching dead letters", HttpMethod.POST, "/admin/dead-letters/retry?aggregate={order}", null,
                    401, 403, 403, 200),
            new Row("discard a dead letter", HttpMethod.POST, "/admin/dead-letters/no-such-letter/discard",
                    Map.of("reason", "test"), 401, 403, 403, 404),
            new Row("replay an order", HttpMethod.POST, "/admin/replay/orders/{order}", null, 401, 403, 403, 200),
            new Row("replay a topic", HttpMethod.POST, "/admin/replay/topics/" + Topics.CUSTOMER_EVENTS
                    + "?fromTime=2999-01-01T00:00:00Z", null, 401, 403, 403, 200),
            new Row("start a rebuild", HttpMethod.POST, "/admin/rebuilds/no-such-view", null, 401, 403, 403, 400),
            new Row("rebuild progress", HttpMethod.GET, "/admin/rebuilds/current", null, 401, 403, 403, 404),
            new Row("cancel a rebuild", HttpMethod.DELETE, "/admin/rebuilds/current", null, 401, 403, 403, 404),
            new Row("switch a rebuild in", HttpMethod.POST, "/admin/rebuilds/current/switch", null, 401, 403, 403, 404),
            new Row("list view generations", HttpMethod.GET, "/admin/generations", null, 401, 403, 403, 200),
            new Row("verify", HttpMethod.POST, "/admin/verify", null, 401, 403, 403, 502),
            new Row("health", HttpMethod.GET, "/actuator/health", null, 200, 200, 200, 200),
            new Row("readiness probe", HttpMethod.GET, "/actuator/health/readiness", null, 200, 200, 200, 200),
            new Row("info", HttpMethod.GET, "/actuator/info", null, 401, 403, 403, 200),
            new Row("metrics", HttpMethod.GET, "/actuator/metrics", null, 401, 403, 403, 200),
            new Row("prometheus", HttpMethod.GET, "/actuator/prometheus", null, 401, 403, 403, 200),
            new Row("API document", HttpMethod.GET, "/v3/api-docs", null, 200, 200, 200, 200),
            new Row("API UI", HttpMethod.GET, "/swagger-ui/index.html", null, 200, 200, 200, 200));

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        if (api.get(TestTokens.ops(), "/orders/" + ORDER).status() != 200) {
            try (EventPublisher kafka = new EventPublisher()) {
                kafka.publish(TestEvents.registered(A, "A", "a@example.org"), TestEvents.placed(ORDER, A, T0));
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    api.get(TestTokens.ops(), "/customers/" + A + "/order-summary").status() == 200
                            && api.get(TestTokens.ops(), "/orders/" + ORDER).status() == 200);
        }
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
        String path = row.resolvedPath();

        if (path.equals("/orders/stream")) {
            // A stream that opens does not end: its status and type are all there is to check.
            try (SseClient stream = SseClient.open(port, token(caller), path)) {
                assertThat(stream.status()).as("%s as %s", path, caller).isEqualTo(row.expected(caller));
                assertThat(stream.contentType()).startsWith(stream.status() == 200 ? "text/event-stream"
                        : "application/problem+json");
            }
            return;
        }
        ApiClient.Response response = api.call(row.method(), token(caller), path, row.body(), Map.of());

        assertThat(response.status()).as("%s %s as %s: %s", row.method(), path, caller, response)
                .isEqualTo(row.expected(caller));
        if (response.status() == 401 || response.status() == 403) {
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    /** The query service's own token for the command side opens nothing here but what anyone may read. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusesTheCommandSidesHistoryReaderAllButHealthAndDocs(Row row) {
        String path = row.resolvedPath();
        int expected = row.anonymous() == 200 ? 200 : 403;

        if (path.equals("/orders/stream")) {
            try (SseClient stream = SseClient.open(port, TestTokens.historyReader(), path)) {
                assertThat(stream.status()).isEqualTo(expected);
            }
            return;
        }
        assertThat(api.call(row.method(), TestTokens.historyReader(), path, row.body(), Map.of()).status())
                .as("%s %s", row.method(), path).isEqualTo(expected);
    }

    static Stream<Row> rows() {
        return ROWS.stream();
    }

    @Test
    void coversEveryEndpointTheApplicationServes() {
        List<String> documented = new ArrayList<>();
        api.get(null, "/v3/api-docs").body().get("paths").propertyNames().forEach(documented::add);
        List<String> covered = ROWS.stream().map(row -> row.path().replaceAll("\\?.*", "")
                .replaceAll("\\{[a-z]+}|no-such-letter|no-such-view|" + Topics.CUSTOMER_EVENTS.replace(".", "\\."), "{id}"))
                .toList();

        assertThat(documented).allSatisfy(path -> assertThat(covered).as("the matrix has a row for %s", path)
                .contains(path.replaceAll("\\{[A-Za-z]+}", "{id}")));
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired", (Function<CustomerId, String>) id -> TestTokens.expired(id.value())),
                Arguments.of("from another issuer", (Function<CustomerId, String>) id ->
                        TestTokens.fromAnotherIssuer(id.value())),
                Arguments.of("for another audience", (Function<CustomerId, String>) id ->
                        TestTokens.forAnotherAudience(id.value())),
                Arguments.of("signed with another key", (Function<CustomerId, String>) id ->
                        TestTokens.withForgedSignature(id.value())),
                Arguments.of("alg none", (Function<CustomerId, String>) id -> TestTokens.unsigned(id.value())),
                Arguments.of("tampered after signing", (Function<CustomerId, String>) id ->
                        TestTokens.tampered(id.value())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refusesTokensThatMustNotGetAnyoneIn(String kind, Function<CustomerId, String> token) {
        ApiClient.Response response = api.get(token.apply(A), "/orders/" + ORDER);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(api.get(TestTokens.customer(A.value()), "/orders/" + ORDER).status()).isEqualTo(200);
    }

    private static String token(Caller caller) {
        return switch (caller) {
            case ANONYMOUS -> null;
            case CUSTOMER_A -> TestTokens.customer(A.value());
            case CUSTOMER_B -> TestTokens.customer(B.value());
            case OPS -> TestTokens.ops();
        };
    }
}

package io.ordercqrs.command.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.command.OutboxRows;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderDelivered;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.OrderShipped;
import io.ordercqrs.testsupport.ApiClient.Response;
import io.ordercqrs.testsupport.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

@CommandServiceTest
class OrderLifecycleIntegrationTests {

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
    void placesPaysShipsAndDeliversWithOneOutboxEventPerStep() {
        CommandApi.Customer customer = api.registerCustomer();

        Response placed = api.post(customer.token(), "/orders", CommandApi.orderBody(null),
                Map.of("X-Correlation-Id", "checkout-42"));
        UUID orderId = UUID.fromString(placed.text("/id"));
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.header("Location")).isEqualTo("/orders/" + orderId);
        assertThat(placed.header("ETag")).isEqualTo("\"1\"");
        assertThat(placed.text("/status")).isEqualTo("PLACED");
        assertThat(placed.text("/total/amount")).isEqualTo("27.97");
        assertThat(placed.text("/lines/1/subtotal/amount")).isEqualTo("2.97");

        Response paid = api.pay(customer.token(), orderId);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.header("ETag")).isEqualTo("\"2\"");
        assertThat(paid.body().get("version").asLong()).isEqualTo(2);

        Response shipped = api.ship(orderId);
        assertThat(shipped.status()).isEqualTo(200);
        assertThat(shipped.text("/shipment/trackingNumber")).isEqualTo("JJD0001");

        Response delivered = api.http.post(TestTokens.ops(), "/orders/" + orderId + "/delivery", null);
        assertThat(delivered.status()).isEqualTo(200);
        assertThat(delivered.text("/status")).isEqualTo("DELIVERED");
        assertThat(delivered.header("ETag")).isEqualTo("\"4\"");

        List<OutboxRows.Row> rows = outbox.of(orderId);
        assertThat(rows).extracting(OutboxRows.Row::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(rows).extracting(OutboxRows.Row::eventType)
                .containsExactly("order.placed", "order.paid", "order.shipped", "order.delivered");
        List<DomainEvent> events = rows.stream().map(outbox::decode).toList();
        assertThat(events.get(0)).isInstanceOfSatisfying(OrderPlaced.class, event -> {
            assertThat(event.customerId().value()).isEqualTo(customer.id());
            assertThat(event.total()).isEqualTo(Money.of("27.97", "EUR"));
            assertThat(event.lines()).extracting(OrderPlaced.Line::sku).containsExactly("SKU-1", "SKU-2");
        });
        assertThat(events.get(1)).isInstanceOf(OrderPaid.class);
        assertThat(events.get(2)).isInstanceOfSatisfying(OrderShipped.class,
                event -> assertThat(event.carrier()).isEqualTo("DHL"));
        assertThat(events.get(3)).isInstanceOf(OrderDelivered.class);
        OutboxRows.Row first = rows.get(0);
        assertThat(first.headers().get("correlationId").asString()).isEqualTo("checkout-42");
        assertThat(first.headers().get("traceparent").asString()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        assertThat(first.headers().get("source").asString()).isEqualTo("/order-command-service");
    }

    @Test
    void refusesCancellingAShippedOrderAndWritesNothing() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);
        api.pay(customer.token(), orderId);
        api.ship(orderId);

        Response refused = api.cancel(customer.token(), orderId);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.text("/type")).isEqualTo("https://ordercqrs.io/problems/order-already-shipped");
        assertThat(refused.text("/detail")).contains("has shipped already (SHIPPED), so it cannot be cancelled");
        assertThat(refused.text("/status")).isEqualTo("409");
        assertThat(refused.text("/orderStatus")).isEqualTo("SHIPPED");
        assertThat(outbox.sequencesOf(orderId)).containsExactly(1L, 2L, 3L);
        assertThat(api.http.get(customer.token(), "/orders/" + orderId).text("/status")).isEqualTo("SHIPPED");
    }

    @Test
    void refusesAFractionalQuantityInsteadOfTruncatingIt() {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, Object> body = new java.util.LinkedHashMap<>(CommandApi.orderBody(null));
        body.put("lines", List.of(Map.of("sku", "SKU-1", "productName", "Beans", "quantity", 2.5, "unitPrice", "1.00")));
        long before = jdbc.queryForObject("select count(*) from orders where customer_id = ?", Long.class,
                customer.id());

        Response refused = api.http.post(customer.token(), "/orders", body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("/errors/0/field")).isEqualTo("lines[0].quantity");
        assertThat(jdbc.queryForObject("select count(*) from orders where customer_id = ?", Long.class, customer.id()))
                .isEqualTo(before);
    }

    @Test
    void refusesAPaymentOfTheWrongAmountNamingTheField() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);

        Response refused = api.http.post(customer.token(), "/orders/" + orderId + "/payment", CommandApi.payment("20.00"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("/errors/0/field")).isEqualTo("amount");
        assertThat(outbox.sequencesOf(orderId)).containsExactly(1L);
    }

    @Test
    void refusesAStaleIfMatchWith412AndChangesNothing() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);

        Response stale = api.post(customer.token(), "/orders/" + orderId + "/payment", CommandApi.payment("27.97"),
                Map.of("If-Match", "\"7\""));

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.header("ETag")).isEqualTo("\"1\"");
        assertThat(stale.body().get("currentVersion").asLong()).isEqualTo(1);
        assertThat(outbox.sequencesOf(orderId)).containsExactly(1L);

        Response current = api.post(customer.token(), "/orders/" + orderId + "/payment", CommandApi.payment("27.97"),
                Map.of("If-Match", "\"1\""));
        assertThat(current.status()).isEqualTo(200);
    }

    @Test
    void rejectsInvalidInputNamingEachBadFieldAndWritesNothing() {
        CommandApi.Customer customer = api.registerCustomer();
        String invalid = """
                {"currency": "EURO",
                 "lines": [{"sku": "SKU-1", "productName": "Manual", "quantity": -2, "unitPrice": "12.50"}]}
                """;

        Response refused = api.http.post(customer.token(), "/orders", invalid);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.body().get("errors").findValuesAsString("field"))
                .containsExactly("currency", "lines[0].quantity", "shippingAddress");
        assertThat(jdbc.queryForObject("select count(*) from orders where customer_id = ?", Long.class, customer.id()))
                .isZero();
    }

    @Test
    void rejectsUnknownFieldsByName() {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, Object> body = new java.util.HashMap<>(CommandApi.orderBody(null));
        body.put("discount", 50);

        Response refused = api.http.post(customer.token(), "/orders", body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("/errors/0/field")).isEqualTo("discount");
        assertThat(refused.text("/errors/0/message")).isEqualTo("is not a known field");
    }

    @Test
    void rejectsMalformedJsonAndPricesFinerThanTheCurrency() {
        CommandApi.Customer customer = api.registerCustomer();

        Response malformed = api.http.post(customer.token(), "/orders", "{\"currency\": ");
        Response tooFine = api.http.post(customer.token(), "/orders", withPrice("12.505"));

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text("/errors/0/field")).isEqualTo("body");
        assertThat(tooFine.status()).isEqualTo(400);
        assertThat(tooFine.text("/errors/0/field")).isEqualTo("lines[0].unitPrice");
    }

    @Test
    void refusesAnOrderForACustomerWhoIsNotRegistered() {
        UUID stranger = UUID.randomUUID();

        Response refused = api.http.post(TestTokens.ops(), "/orders", CommandApi.orderBody(stranger));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("/errors/0/field")).isEqualTo("customerId");
        assertThat(outbox.countForCustomer(stranger)).isZero();
    }

    @Test
    void answersNotModifiedForTheCurrentEntityTag() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);

        Response notModified = api.http.call(HttpMethod.GET, customer.token(), "/orders/" + orderId, null,
                Map.of("If-None-Match", "\"1\""));

        assertThat(notModified.status()).isEqualTo(304);
    }

    @Test
    void registersCustomersOnceAndKeepsTheirEmailsUnique() {
        CommandApi.Customer customer = api.registerCustomer();

        Response again = api.http.post(customer.token(), "/customers", Map.of("name", "Ada", "email", "x@example.com"));
        UUID other = UUID.randomUUID();
        Response sameEmail = api.http.post(TestTokens.customer(other), "/customers",
                Map.of("name", "Eve", "email", customer.id().toString().toUpperCase() + "@EXAMPLE.COM"));
        Response changed = api.http.put(customer.token(), "/customers/" + customer.id() + "/details",
                Map.of("name", "Ada King", "email", "ada.king." + customer.id() + "@example.com"));

        assertThat(again.status()).isEqualTo(409);
        assertThat(sameEmail.status()).isEqualTo(409);
        assertThat(sameEmail.text("/type")).endsWith("/email-unavailable");
        assertThat(sameEmail.body().toString()).as("does not confirm that another customer has the address")
                .doesNotContainIgnoringCase(customer.id().toString()).doesNotContainIgnoringCase("another customer")
                .doesNotContainIgnoringCase("registered");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isEqualTo("\"2\"");
        assertThat(outbox.of(customer.id())).extracting(OutboxRows.Row::eventType)
                .containsExactly("customer.registered", "customer.details-changed");
    }

    @Test
    void servesTheApiDocsAndUiWithoutCredentials() {
        Response docs = api.http.get(null, "/v3/api-docs");
        Response ui = api.http.get(null, "/swagger-ui/index.html");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").propertyNames())
                .contains("/orders", "/orders/{id}/payment", "/orders/{id}/cancellation", "/customers");
        assertThat(ui.status()).isEqualTo(200);
    }

    private static Map<String, Object> withPrice(String price) {
        Map<String, Object> body = new java.util.HashMap<>(CommandApi.orderBody(null));
        body.put("lines", List.of(Map.of("sku", "S", "productName", "P", "quantity", 1, "unitPrice", price)));
        return body;
    }
}

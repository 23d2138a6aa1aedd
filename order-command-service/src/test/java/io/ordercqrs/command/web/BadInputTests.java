package io.ordercqrs.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.BadInputs;
import io.ordercqrs.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * For every operation of the served OpenAPI document that takes a body, every kind of bad input
 * the document lets a client express (a required field missing, a wrong type, out of range, an
 * unknown enum value, a fractional integer), plus malformed path ids, bad headers and an oversized
 * body, malformed or out-of-range query parameters: each is answered 4xx with problem details
 * naming the field, never 5xx, and changes nothing.
 */
@CommandServiceTest
class BadInputTests {

    private static final JsonMapper JSON = JsonMapper.shared();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** A valid body per operation with a body; the test fails when the document has one more. */
    private static Map<String, Function<UUID, Object>> validBodies() {
        Map<String, Function<UUID, Object>> bodies = new LinkedHashMap<>();
        bodies.put("POST /customers", customer -> Map.of("name", "Ada", "email", UUID.randomUUID() + "@example.org"));
        bodies.put("PUT /customers/{id}/details", customer -> Map.of("name", "Ada", "email",
                UUID.randomUUID() + "@example.org"));
        bodies.put("POST /orders", customer -> CommandApi.orderBody(null));
        bodies.put("POST /orders/{id}/payment", customer -> CommandApi.payment("27.97"));
        bodies.put("POST /orders/{id}/shipment", customer -> Map.of("carrier", "DHL", "trackingNumber", "T-1"));
        bodies.put("POST /orders/{id}/cancellation", customer -> Map.of("reason", "changed my mind"));
        bodies.put("POST /admin/outbox/failed/{id}/discard", customer -> Map.of("reason", "not needed"));
        return bodies;
    }

    @Test
    void answersEveryKindOfBadInputWith4xxNamingTheFieldAndChangesNothing() {
        CommandApi api = new CommandApi(port);
        CommandApi.Customer customer = api.registerCustomer();
        UUID order = api.placedOrder(customer);
        JsonNode docs = api.http.get(null, "/v3/api-docs").body();
        long outboxBefore = count("outbox");
        long ordersBefore = count("orders");
        long customersBefore = count("customers");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        Map<String, Function<UUID, Object>> bodies = validBodies();

        for (var path : docs.get("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String key = operation.getKey().toUpperCase() + " " + path.getKey();
                HttpMethod method = HttpMethod.valueOf(operation.getKey().toUpperCase());
                String token = path.getKey().startsWith("/admin") || key.contains("shipment") ? TestTokens.ops()
                        : customer.token();
                String concrete = path.getKey().replace("{id}", path.getKey().startsWith("/customers")
                        ? customer.id().toString() : path.getKey().startsWith("/admin/outbox/failed") ? "987654321"
                        : order.toString()).replace("{aggregateId}", order.toString());
                // A malformed id in the path.
                if (path.getKey().contains("{")) {
                    String malformed = path.getKey().replaceAll("\\{[A-Za-z]+}", "not-a-uuid");
                    if (!path.getKey().startsWith("/admin/outbox/failed")) {
                        sent++;
                        BadInputs.expect(failures, key + " malformed id", api.http.call(method, token, malformed,
                                bodies.containsKey(key) ? bodies.get(key).apply(customer.id()) : null, Map.of()),
                                null);
                    }
                }
                for (BadInputs.ParameterVariant variant : BadInputs.parameterVariants(docs, operation.getValue())) {
                    sent++;
                    BadInputs.expect(failures, key + " " + variant.description(), api.http.call(method, token,
                            concrete + "?" + variant.field() + "=" + variant.value(),
                            bodies.containsKey(key) ? bodies.get(key).apply(customer.id()) : null, Map.of()),
                            variant.field());
                }
                JsonNode requestBody = operation.getValue().at("/requestBody/content/application~1json/schema");
                if (requestBody.isMissingNode()) {
                    continue;
                }
                assertThat(bodies).as("a valid body for %s", key).containsKey(key);
                Object valid = bodies.get(key).apply(customer.id());
                for (BadInputs.Variant variant : BadInputs.variants(docs, requestBody, JSON.valueToTree(valid), "")) {
                    sent++;
                    BadInputs.expect(failures, key + " " + variant.description(),
                            api.http.call(method, token, concrete, variant.body().toString(), Map.of()), variant.field());
                }
                sent++;
                BadInputs.expect(failures, key + " oversized body", api.http.call(method, token, concrete,
                        "{\"x\":\"" + "x".repeat(1_100_000) + "\"}", Map.of()), null);
                if (operation.getValue().path("parameters").findValuesAsString("name").contains("Idempotency-Key")) {
                    sent++;
                    BadInputs.expect(failures, key + " bad Idempotency-Key", api.http.call(method, token, concrete, valid,
                            Map.of("Idempotency-Key", "x".repeat(300))), "Idempotency-Key");
                }
            }
        }

        assertThat(failures).as("of %d bad requests", sent).isEmpty();
        assertThat(sent).isGreaterThan(50);
        assertThat(count("outbox")).as("nothing written").isEqualTo(outboxBefore);
        assertThat(count("orders")).isEqualTo(ordersBefore);
        assertThat(count("customers")).isEqualTo(customersBefore);
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }
}

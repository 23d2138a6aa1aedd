package io.ordercqrs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-machine run, end to end: the launcher starts real servers and both services from their
 * runnable jars; a command travels through outbox, relay, Kafka and projection, and the query API
 * answers it with the version the command returned.
 */
class LauncherTests {

    @TempDir
    Path data;

    @Test
    void runsTheStackWhereAnOrderPlacedThroughCommandsIsReadBackFromTheQueryApi() throws Exception {
        List<ProcessHandle> services;
        try (Stack stack = Stack.start(settings())) {
            services = stack.serviceProcesses();
            UUID customerId = UUID.randomUUID();
            String token = tokenFromIssuer(stack, customerId.toString(), "customer");
            StackClient command = new StackClient(stack.commandUrl(), token);
            StackClient query = new StackClient(stack.queryUrl(), token);

            command.post("/customers", Map.of("name", "Ada Lovelace", "email", "ada-" + customerId + "@example.org"));
            JsonNode placed = command.post("/orders", Map.of("currency", "EUR",
                    "lines", List.of(Map.of("sku", "BEANS", "productName", "Espresso beans", "quantity", 2,
                            "unitPrice", "12.50")),
                    "shippingAddress", Map.of("recipient", "Ada", "street", "1 Analytical Way", "postalCode", "10115",
                            "city", "Berlin", "country", "DE")));
            String orderId = placed.get("id").asString();
            long version = placed.get("version").asLong();

            JsonNode view = query.get("/orders/" + orderId + "?minVersion=" + version);

            assertThat(view.get("version").asLong()).isEqualTo(version);
            assertThat(view.get("status").asString()).isEqualTo("PLACED");
            assertThat(view.get("total").get("amount").asString()).isEqualTo("25.00");
            assertThat(view.get("customerName").asString()).isEqualTo("Ada Lovelace");

            String demo = new DemoData(stack).loadOnce(data);
            assertThat(demo).contains("DELIVERED", "CANCELLED");
            assertThat(new DemoData(stack).loadOnce(data)).contains("earlier run");
            StackClient ops = new StackClient(stack.queryUrl(), tokenFromIssuer(stack, "ops", "ops"));
            JsonNode all = awaitOrders(ops, 16);
            assertThat(all.get("items").valueStream().map(item -> item.get("status").asString()).distinct())
                    .containsExactlyInAnyOrder("PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED");
        }
        assertThat(services).as("no service process is left behind").noneMatch(ProcessHandle::isAlive);
    }

    private StackSettings settings() {
        return new StackSettings(Path.of(System.getProperty("ordercqrs.home", "..")).toAbsolutePath().normalize(),
                data, 0, 0, 0, 0, 0, 0);
    }

    /** Gets a token the way the README tells people to: a form POST to the issuer's token endpoint. */
    private static String tokenFromIssuer(Stack stack, String subject, String role) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.issuer().issuerUri() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("subject=" + subject + "&role=" + role)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body()).get("access_token").asString();
    }

    private static JsonNode awaitOrders(StackClient ops, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode page = ops.get("/orders?size=100");
        while (page.get("totalItems").asLong() < count || !allSettled(page)) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
            page = ops.get("/orders?size=100");
        }
        return page;
    }

    private static boolean allSettled(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("status").asString()).distinct().count() == 5;
    }
}

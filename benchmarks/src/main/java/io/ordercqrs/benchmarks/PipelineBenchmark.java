package io.ordercqrs.benchmarks;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.OrderPaid;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.ShippingAddress;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventMetadata;
import io.ordercqrs.launcher.Stack;
import io.ordercqrs.launcher.StackSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read side on the launched stack (both services as their runnable jars, real servers):
 * <ol>
 * <li>command-to-view latency: a command answered, until the query API serves its version;</li>
 * <li>projection rate: events published straight to Kafka until the views have them all;</li>
 * <li>rebuild rate: a full rebuild of the views from the earliest offsets.</li>
 * </ol>
 * Arguments: {@code [commands] [events] [customers]}, default 300, 50000 and 1000 (the events' orders
 * spread over that many customers; each customer's summary is recomputed from their order views).
 */
public final class PipelineBenchmark {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int customers = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path data = Files.createTempDirectory("ordercqrs-bench");
        long starting = System.nanoTime();
        try (Stack stack = Stack.start(StackSettings.onFreePorts(Path.of(".").toAbsolutePath().normalize(), data))) {
            System.out.printf("Stack ready in %.1f s%n", (System.nanoTime() - starting) / 1e9);
            String ops = stack.issuer().mint("bench-ops", "ops", Duration.ofHours(1));
            latency(stack, commands);
            projectionRate(stack, ops, events, customers);
            rebuildRate(stack, ops);
        }
        System.exit(0);
    }

    private static void latency(Stack stack, int commands) throws Exception {
        UUID customer = UUID.randomUUID();
        String token = stack.issuer().mint(customer.toString(), "customer", Duration.ofHours(1));
        call("POST", stack.commandUrl() + "/customers", token, Map.of("name", "Bench", "email", customer + "@example.org"));
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < commands + 20; i++) {
            long sent = System.nanoTime();
            JsonNode placed = call("POST", stack.commandUrl() + "/orders", token, Map.of("currency", "EUR",
                    "lines", List.of(Map.of("sku", "B", "productName", "Beans", "quantity", 1, "unitPrice", "9.99")),
                    "shippingAddress", Map.of("recipient", "B", "street", "S 1", "postalCode", "1", "city", "C",
                            "country", "DE")));
            long answered = System.nanoTime();
            String url = stack.queryUrl() + "/orders/" + placed.get("id").asString();
            while (status(url, token) != 200) {
                Thread.sleep(0, 200_000);
            }
            if (i >= 20) {
                nanos.add(System.nanoTime() - answered);
            }
            long pause = 50_000_000 - (System.nanoTime() - sent);
            if (pause > 0) {
                Thread.sleep(pause / 1_000_000);
            }
        }
        System.out.println("Command answered -> order view served by the query API (one command at a time, 20/s, "
                + commands + " after 20 warm-up): " + new Percentiles(nanos).summary());
    }

    private static void projectionRate(Stack stack, String ops, int events, int customerCount) throws Exception {
        EventCodec codec = new EventCodec();
        List<CustomerId> customers = new ArrayList<>();
        for (int i = 0; i < customerCount; i++) {
            customers.add(CustomerId.of(UUID.randomUUID()));
        }
        List<OrderId> orders = new ArrayList<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(), ProducerConfig.LINGER_MS_CONFIG,
                5), new StringSerializer(), new ByteArraySerializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < events / 2; i++) {
                OrderId order = OrderId.of(UUID.randomUUID());
                CustomerId customer = customers.get(i % customers.size());
                orders.add(order);
                OrderPlaced placed = new OrderPlaced(UUID.randomUUID(), order, 1, now, customer,
                        List.of(new OrderPlaced.Line("B", "Beans", 1, Money.of("9.99", "EUR"))), Money.of("9.99", "EUR"),
                        new ShippingAddress("B", "S 1", "1", "C", "DE"));
                OrderPaid paid = new OrderPaid(UUID.randomUUID(), order, 2, now, customer, Money.of("9.99", "EUR"), "P");
                producer.send(codec.toProducerRecord(codec.encode(placed, EventMetadata.from("/bench"))));
                producer.send(codec.toProducerRecord(codec.encode(paid, EventMetadata.from("/bench"))));
            }
            producer.flush();
        }
        long published = System.nanoTime();
        for (OrderId order : List.of(orders.get(0), orders.get(orders.size() / 2), orders.get(orders.size() - 1))) {
            while (status(stack.queryUrl() + "/orders/" + order + "?minVersion=2", ops) != 200) {
                Thread.sleep(50);
            }
        }
        long applied = System.nanoTime();
        System.out.printf("Projection: %,d events (%,d orders placed and paid, %,d customers) published in %.1f s, "
                        + "all in the views after %.1f s: %,.0f events/s%n", events, orders.size(), customerCount,
                (published - started) / 1e9, (applied - started) / 1e9, events / ((applied - started) / 1e9));
    }

    private static void rebuildRate(Stack stack, String ops) throws Exception {
        call("POST", stack.queryUrl() + "/admin/rebuilds/all", ops, null);
        JsonNode progress;
        do {
            Thread.sleep(500);
            progress = call("GET", stack.queryUrl() + "/admin/rebuilds/current", ops, null);
        } while (List.of("RUNNING", "SWITCHING").contains(progress.get("state").asString()));
        System.out.printf("Rebuild: %s, %,d events in %s: %,.0f events/s%n", progress.get("state").asString(),
                progress.get("eventsDone").asLong(), Duration.between(Instant.parse(progress.get("startedAt").asString()),
                        Instant.parse(progress.get("finishedAt").asString())), progress.get("ratePerSecond").asDouble());
    }

    private static int status(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode call(String method, String url, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}

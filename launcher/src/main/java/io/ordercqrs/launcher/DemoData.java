package io.ordercqrs.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Demo customers and orders in every state, placed through the command API as ops would, so they
 * flow through outbox, Kafka and projections like any other.
 */
final class DemoData {

    private static final String[][] CUSTOMERS = {
            {"Ada Lovelace", "ada@example.org"}, {"Grace Hopper", "grace@example.org"},
            {"Alan Turing", "alan@example.org"}};

    private final StackClient command;

    DemoData(Stack stack) {
        this.command = new StackClient(stack.commandUrl(), stack.issuer().mint("demo-loader", "ops",
                Duration.ofMinutes(10)));
    }

    /** Loads the demo data unless this data folder already has it; says what it did. */
    String loadOnce(Path dataDirectory) {
        Path marker = dataDirectory.resolve("demo-data-loaded");
        if (Files.exists(marker)) {
            return "Demo data was loaded in an earlier run.";
        }
        StringBuilder report = new StringBuilder("Demo data:\n");
        int placed = 0;
        for (String[] details : CUSTOMERS) {
            String customerId = command.post("/customers", Map.of("name", details[0], "email", details[1]))
                    .get("id").asString();
            report.append("  customer ").append(details[0]).append(" ").append(customerId).append('\n');
            for (String target : List.of("PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED")) {
                String orderId = placeOrder(customerId, placed++);
                advance(orderId, target);
                report.append("    order ").append(orderId).append(" ").append(target).append('\n');
            }
        }
        try {
            Files.writeString(marker, "loaded\n");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report.toString();
    }

    private String placeOrder(String customerId, int n) {
        return command.post("/orders", Map.of(
                "customerId", customerId,
                "currency", "EUR",
                "lines", List.of(
                        Map.of("sku", "BEANS-1KG", "productName", "Espresso beans 1 kg", "quantity", 1 + n % 3,
                                "unitPrice", "12.50"),
                        Map.of("sku", "FROTHER", "productName", "Milk frother", "quantity", 1, "unitPrice", "5.00")),
                "shippingAddress", Map.of("recipient", "Demo Recipient", "street", "1 Demo Street",
                        "postalCode", "10115", "city", "Berlin", "country", "DE")))
                .get("id").asString();
    }

    private void advance(String orderId, String target) {
        if (target.equals("PLACED")) {
            return;
        }
        if (target.equals("CANCELLED")) {
            command.post("/orders/" + orderId + "/cancellation", Map.of("reason", "changed my mind"));
            return;
        }
        String total = command.get("/orders/" + orderId).get("total").get("amount").asString();
        command.post("/orders/" + orderId + "/payment", Map.of("amount", total, "currency", "EUR",
                "paymentReference", "DEMO-" + UUID.randomUUID()));
        if (target.equals("PAID")) {
            return;
        }
        command.post("/orders/" + orderId + "/shipment", Map.of("carrier", "DHL", "trackingNumber", "DEMO-TRACK"));
        if (target.equals("SHIPPED")) {
            return;
        }
        command.post("/orders/" + orderId + "/delivery", Map.of());
    }
}

package io.ordercqrs.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.ApiClient.Response;
import io.ordercqrs.testsupport.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpMethod;

/** The command API as a client uses it, with ready-made customers and orders. */
public final class CommandApi {

    public final ApiClient http;

    public CommandApi(int port) {
        this.http = new ApiClient(port);
    }

    /** A customer who registered themselves, with their token. */
    public record Customer(UUID id, String token) {
    }

    public Customer registerCustomer() {
        UUID id = UUID.randomUUID();
        String token = TestTokens.customer(id);
        Response registered = http.post(token, "/customers", Map.of("name", "Ada Lovelace", "email", id + "@example.com"));
        assertThat(registered.status()).as("registration: %s", registered).isEqualTo(201);
        return new Customer(id, token);
    }

    public Response placeOrder(String token) {
        return http.post(token, "/orders", orderBody(null));
    }

    /** Places an order and returns its id. */
    public UUID placedOrder(Customer customer) {
        Response placed = placeOrder(customer.token());
        assertThat(placed.status()).as("placing: %s", placed).isEqualTo(201);
        return UUID.fromString(placed.text("/id"));
    }

    public Response pay(String token, UUID orderId) {
        return http.post(token, "/orders/" + orderId + "/payment", payment("27.97"));
    }

    public Response ship(UUID orderId) {
        return http.post(TestTokens.ops(), "/orders/" + orderId + "/shipment",
                Map.of("carrier", "DHL", "trackingNumber", "JJD0001"));
    }

    public Response cancel(String token, UUID orderId) {
        return http.post(token, "/orders/" + orderId + "/cancellation", Map.of("reason", "changed my mind"));
    }

    public Response post(String token, String path, Object body, Map<String, String> headers) {
        return http.call(HttpMethod.POST, token, path, body, headers);
    }

    /** An order of 2 x 12.50 + 3 x 0.99 EUR = 27.97 EUR to Berlin. */
    public static Map<String, Object> orderBody(UUID customerId) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (customerId != null) {
            body.put("customerId", customerId.toString());
        }
        body.put("currency", "EUR");
        body.put("lines", List.of(
                Map.of("sku", "SKU-1", "productName", "Analytical Engine manual", "quantity", 2, "unitPrice", "12.50"),
                Map.of("sku", "SKU-2", "productName", "Brass gear", "quantity", 3, "unitPrice", "0.99")));
        body.put("shippingAddress", Map.of("recipient", "Ada Lovelace", "street", "Unter den Linden 1",
                "postalCode", "10117", "city", "Berlin", "country", "DE"));
        return body;
    }

    public static Map<String, Object> payment(String amount) {
        return Map.of("amount", amount, "currency", "EUR", "paymentReference", "PAY-" + UUID.randomUUID());
    }
}

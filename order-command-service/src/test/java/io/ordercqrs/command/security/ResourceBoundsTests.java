package io.ordercqrs.command.security;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Bounds against resource abuse: body size and lines per order. */
@CommandServiceTest
class ResourceBoundsTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    CommandApi api;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
    }

    @Test
    void refusesABodyOverOneMegabyteBeforeReadingIt() {
        CommandApi.Customer customer = api.registerCustomer();
        String huge = "{\"reason\":\"" + "x".repeat(1_100_000) + "\"}";
        long ordersBefore = jdbc.queryForObject("select count(*) from orders", Long.class);

        ApiClient.Response response = api.http.post(customer.token(), "/orders", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.text("/type")).endsWith("/request-too-large");
        assertThat(jdbc.queryForObject("select count(*) from orders", Long.class)).isEqualTo(ordersBefore);
    }

    @Test
    void refusesAChunkedBodyOverOneMegabyteWith413() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        byte[] huge = ("{\"reason\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        long ordersBefore = jdbc.queryForObject("select count(*) from orders", Long.class);

        // A body of unknown length is sent chunked, without Content-Length.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/orders"))
                .header("Authorization", "Bearer " + customer.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("request-too-large");
        assertThat(jdbc.queryForObject("select count(*) from orders", Long.class)).isEqualTo(ordersBefore);
    }

    @Test
    void refusesAnOrderOfMoreThanAHundredLines() {
        CommandApi.Customer customer = api.registerCustomer();
        Map<String, Object> body = new java.util.LinkedHashMap<>(CommandApi.orderBody(null));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            lines.add(Map.of("sku", "SKU-" + i, "productName", "Item " + i, "quantity", 1, "unitPrice", "1.00"));
        }
        body.put("lines", lines);

        ApiClient.Response response = api.http.post(customer.token(), "/orders", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("/errors/0/field")).isEqualTo("lines");
    }
}

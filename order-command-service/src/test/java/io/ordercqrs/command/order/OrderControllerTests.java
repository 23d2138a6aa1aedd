package io.ordercqrs.command.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import io.ordercqrs.command.async.CommandsForWebSlices;
import io.ordercqrs.service.security.Caller;
import io.ordercqrs.command.web.IdempotentRequests;
import io.ordercqrs.command.web.VersionMismatch;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import io.ordercqrs.service.security.ResourceServerSecurity;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The HTTP contract of the order endpoints: status codes, headers and problem details. */
@WebMvcTest(OrderController.class)
@ImportAutoConfiguration(ResourceServerSecurity.class)
@Import(CommandsForWebSlices.class)
class OrderControllerTests {

    private static final UUID CUSTOMER = UUID.randomUUID();

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OrderManagement orders;

    @MockitoBean
    IdempotentRequests idempotency;

    @MockitoBean
    JwtDecoder jwtDecoder;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void runCommandsDirectly() {
        when(idempotency.run(any(), any(), anyString(), any(), any(), any()))
                .thenAnswer(call -> ((Supplier<Object>) call.getArgument(5)).get());
    }

    @Test
    void answersAPlacedOrderWith201LocationAndETag() {
        Order order = placedOrder();
        when(orders.place(any(), any())).thenReturn(order);

        var result = mvc.post().uri("/orders").with(customer()).contentType(MediaType.APPLICATION_JSON)
                .content(validOrder()).exchange();

        assertThat(result).hasStatus(201)
                .hasHeader("Location", "/orders/" + order.orderId())
                .hasHeader("ETag", "\"1\"");
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("PLACED");
        assertThat(result).bodyJson().extractingPath("$.total.amount").isEqualTo("25.00");
    }

    @Test
    void namesEveryInvalidFieldAndNeverCallsTheDomain() {
        var result = mvc.post().uri("/orders").with(customer()).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"currency": "XYZ", "lines": [{"sku": "bad sku!", "productName": "", "quantity": 0,
                          "unitPrice": "-1"}],
                         "shippingAddress": {"recipient": "A", "street": "S", "postalCode": "1", "city": "C",
                          "country": "Germany"}}
                        """).exchange();

        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.errors[*].field").asArray().containsExactly("currency",
                "lines[0].productName", "lines[0].quantity", "lines[0].sku", "lines[0].unitPrice",
                "shippingAddress.country");
        verify(orders, never()).place(any(), any());
    }

    @Test
    void mapsAStaleVersionTo412WithTheCurrentETag() {
        when(orders.pay(any(), any())).thenThrow(new VersionMismatch(1, 2));

        var result = mvc.post().uri("/orders/{id}/payment", UUID.randomUUID()).with(customer())
                .header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON)
                .content("{\"amount\": \"25.00\", \"currency\": \"EUR\", \"paymentReference\": \"P\"}").exchange();

        assertThat(result).hasStatus(412).hasHeader("ETag", "\"2\"");
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("https://ordercqrs.io/problems/version-mismatch");
    }

    @Test
    void refusesAnIfMatchThatIsNotAVersion() {
        var result = mvc.post().uri("/orders/{id}/cancellation", UUID.randomUUID()).with(customer())
                .header("If-Match", "yesterday").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"no\"}").exchange();

        assertThat(result).hasStatus(400);
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("If-Match");
        verify(orders, never()).cancel(any(), any());
    }

    @Test
    void mapsAnUnknownOrderTo404() {
        UUID id = UUID.randomUUID();
        when(orders.find(any(), any())).thenThrow(new OrderNotFound(OrderId.of(id)));

        var result = mvc.get().uri("/orders/{id}", id).with(customer()).exchange();

        assertThat(result).hasStatus(404);
        assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("Order " + id + " was not found");
    }

    @Test
    void refusesAnIdThatIsNotAUuid() {
        var result = mvc.get().uri("/orders/42").with(customer()).exchange();

        assertThat(result).hasStatus(400);
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("id");
    }

    @Test
    void asksOpsToNameTheCustomer() {
        var result = mvc.post().uri("/orders").with(jwt().authorities(new SimpleGrantedAuthority("ROLE_ops")))
                .contentType(MediaType.APPLICATION_JSON).content(validOrder()).exchange();

        assertThat(result).hasStatus(400);
        assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("customerId");
    }

    @Test
    void passesTheCallerAndCommandToTheDomain() {
        Order order = placedOrder();
        when(orders.pay(any(), any())).thenReturn(order);

        mvc.post().uri("/orders/{id}/payment", order.orderId().value()).with(customer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"amount\": \"25.00\", \"currency\": \"EUR\", \"paymentReference\": \"P-1\"}").exchange();

        verify(orders).pay(argThat(command -> command.expectedVersion() == null
                && command.amount().amount().equals(new BigDecimal("25.00"))
                && command.paymentReference().equals("P-1")),
                argThat((Caller caller) -> caller.customerId().equals(Optional.of(CustomerId.of(CUSTOMER)))));
        verify(idempotency).run(isNull(), any(), anyString(), any(), any(), any());
    }

    private static RequestPostProcessor customer() {
        return jwt().jwt(token -> token.subject(CUSTOMER.toString()))
                .authorities(new SimpleGrantedAuthority("ROLE_customer"));
    }

    private static Order placedOrder() {
        Order order = Order.place(new PlaceOrder(OrderId.of(UUID.randomUUID()), CustomerId.of(CUSTOMER),
                Currency.getInstance("EUR"), List.of(new PlaceOrder.Line("SKU-1", "Manual", 2, new BigDecimal("12.50"))),
                new Address("Ada", "Main St 1", "10115", "Berlin", "DE")), Instant.parse("2026-11-23T10:00:00Z"));
        order.pullEvents();
        return order;
    }

    private static String validOrder() {
        return """
                {"currency": "EUR",
                 "lines": [{"sku": "SKU-1", "productName": "Manual", "quantity": 2, "unitPrice": "12.50"}],
                 "shippingAddress": {"recipient": "Ada", "street": "Main St 1", "postalCode": "10115",
                                     "city": "Berlin", "country": "DE"}}
                """;
    }
}

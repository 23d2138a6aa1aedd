package io.ordercqrs.query.orderstream;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.SseClient;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Order views as server-sent events: a customer's stream follows their order through its life, in
 * order, and never carries another customer's order; a reconnect with {@code Last-Event-ID} gets
 * what it missed; ops narrow a stream by status; a caller holds a bounded number of streams.
 */
@QueryServiceTest
class OrderStreamTests {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void sendsACustomerTheirOwnOrderAsItChangesInOrderAndNothingOfAnotherCustomers() {
        CustomerId a = TestEvents.newCustomer();
        CustomerId b = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        OrderId others = TestEvents.newOrder();
        try (EventPublisher kafka = new EventPublisher();
                SseClient streamA = SseClient.open(port, TestTokens.customer(a.value()), "/orders/stream");
                SseClient streamB = SseClient.open(port, TestTokens.customer(b.value()), "/orders/stream")) {
            assertThat(streamA.status()).isEqualTo(200);

            kafka.publish(TestEvents.placed(order, a, T0));
            SseClient.Event placed = streamA.next(WITHIN);
            kafka.publish(TestEvents.paid(order, a, T0.plusSeconds(1)));
            SseClient.Event paid = streamA.next(WITHIN);
            kafka.publish(TestEvents.shipped(order, a, T0.plusSeconds(2)));
            SseClient.Event shipped = streamA.next(WITHIN);
            kafka.publish(TestEvents.placed(others, b, T0));
            SseClient.Event firstOfB = streamB.next(WITHIN);

            assertThat(List.of(placed, paid, shipped)).extracting(SseClient.Event::name, SseClient.Event::id)
                    .containsExactly(
                            tuple("order.placed", order + ":1"),
                            tuple("order.paid", order + ":2"),
                            tuple("order.shipped", order + ":3"));
            JsonNode view = JsonMapper.shared().readTree(shipped.data());
            assertThat(view.get("status").asString()).isEqualTo("SHIPPED");
            assertThat(view.get("customerId").asString()).isEqualTo(a.toString());
            assertThat(firstOfB.id()).as("B's stream carried nothing of A's order before B's own")
                    .isEqualTo(others + ":1");
        }
    }

    @Test
    void resendsWhatAClientMissedWhenItReconnectsWithTheLastEventId() {
        CustomerId customer = TestEvents.newCustomer();
        OrderId first = TestEvents.newOrder();
        OrderId second = TestEvents.newOrder();
        String token = TestTokens.customer(customer.value());
        ApiClient api = new ApiClient(port);
        String seen;
        try (EventPublisher kafka = new EventPublisher()) {
            try (SseClient stream = SseClient.open(port, token, "/orders/stream")) {
                kafka.publish(TestEvents.placed(first, customer, T0));
                seen = stream.next(WITHIN).id();
            }
            kafka.publish(TestEvents.paid(first, customer, T0.plusSeconds(1)), TestEvents.placed(second, customer, T0));
            await().atMost(WITHIN).until(() -> api.get(token, "/orders/" + first + "?minVersion=2").status() == 200
                    && api.get(token, "/orders/" + second).status() == 200);

            try (SseClient again = SseClient.open(port, token, "/orders/stream", seen);
                    SseClient garbled = SseClient.open(port, token, "/orders/stream", "not-an-event-id")) {
                Set<String> resent = Set.of(again.next(WITHIN).id(), again.next(WITHIN).id());

                assertThat(seen).isEqualTo(first + ":1");
                assertThat(resent).containsExactlyInAnyOrder(first + ":2", second + ":1");
                assertThat(garbled.status()).isEqualTo(400);
            }
        }
    }

    @Test
    void narrowsAnOpsStreamToOneStatus() {
        CustomerId customer = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        try (EventPublisher kafka = new EventPublisher();
                SseClient shipped = SseClient.open(port, TestTokens.ops(), "/orders/stream?status=SHIPPED")) {
            kafka.publish(TestEvents.placed(order, customer, T0), TestEvents.paid(order, customer, T0.plusSeconds(1)));
            await().atMost(WITHIN).until(() -> new ApiClient(port).get(TestTokens.ops(), "/orders/" + order
                    + "?minVersion=2").status() == 200);
            kafka.publish(TestEvents.shipped(order, customer, T0.plusSeconds(2)));

            List<SseClient.Event> seen = new ArrayList<>();
            SseClient.Event event;
            do {
                event = shipped.next(WITHIN);
                seen.add(event);
            } while (!event.id().startsWith(order.toString()));

            assertThat(event.id()).isEqualTo(order + ":3");
            assertThat(seen).extracting(SseClient.Event::name).containsOnly("order.shipped");
        }
    }

    @Test
    void holdsABoundedNumberOfStreamsPerCallerAndCountsThem() {
        String token = TestTokens.customer(UUID.randomUUID());
        // Streams other tests closed are noticed at their next heartbeat.
        await().atMost(WITHIN).until(() -> meters.get("ordercqrs.query.streams.open").gauge().value() == 0);
        double before = 0;
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                streams.add(SseClient.open(port, token, "/orders/stream"));
            }
            double open = meters.get("ordercqrs.query.streams.open").gauge().value();
            try (SseClient sixth = SseClient.open(port, token, "/orders/stream")) {
                assertThat(streams).extracting(SseClient::status).containsOnly(200);
                assertThat(open).isEqualTo(before + 5);
                assertThat(sixth.status()).isEqualTo(429);
            }
            await().atMost(WITHIN).until(() -> streams.get(0).comments() > 0);
        }
        finally {
            streams.forEach(SseClient::close);
        }
        await().atMost(WITHIN).untilAsserted(() -> assertThat(meters.get("ordercqrs.query.streams.open").gauge()
                .value()).as("closed streams are noticed at the next heartbeat").isEqualTo(before));
    }
}

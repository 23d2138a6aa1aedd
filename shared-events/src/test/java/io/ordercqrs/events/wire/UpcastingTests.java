package io.ordercqrs.events.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.EventType;
import io.ordercqrs.events.Money;
import io.ordercqrs.events.OrderPlaced;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class UpcastingTests {

    private final EventCodec codec = new EventCodec();

    @Test
    void readsAVersionOneOrderPlacedAsTheCurrentRecord() throws IOException {
        EventEnvelope v1 = envelope("order.placed", 1, "6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
                "7f0e4a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b", published("order.placed/v1.json"));

        DomainEvent event = codec.decode(v1);

        assertThat(event).isInstanceOf(OrderPlaced.class);
        OrderPlaced placed = (OrderPlaced) event;
        assertThat(placed.customerId()).isEqualTo(CustomerId.of("0b1f7a52-3c57-4f1e-9c1a-5c4c2f8e6d01"));
        assertThat(placed.lines()).extracting(OrderPlaced.Line::unitPrice)
                .containsExactly(Money.of("12.50", "EUR"), Money.of("0.99", "EUR"));
        assertThat(placed.total()).isEqualTo(Money.of("27.97", "EUR"));
        assertThat(placed.occurredAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
    }

    @Test
    void reportsAVersionOnePayloadWithoutItsCurrency() throws IOException {
        String withoutCurrency = new String(published("order.placed/v1.json")).replace("\"currency\": \"EUR\",", "");
        EventEnvelope v1 = envelope("order.placed", 1, "6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
                "7f0e4a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b", withoutCurrency.getBytes());

        assertThatThrownBy(() -> codec.decode(v1))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("currency");
    }

    @Test
    void refusesToStartWithoutAnUpcasterForEveryOlderVersion() {
        assertThatThrownBy(() -> new EventCodec(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No upcaster reads order.placed v1");
    }

    @Test
    void refusesTwoUpcastersForTheSameVersion() {
        Upcaster twin = new Upcaster() {
            public String eventType() { return EventType.ORDER_PLACED.wireName(); }
            public int fromVersion() { return 1; }
            public ObjectNode upcast(ObjectNode payload) { return payload; }
        };

        assertThatThrownBy(() -> new EventCodec(List.of(new OrderPlacedV1Upcaster(), twin)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] published(String path) throws IOException {
        try (InputStream in = UpcastingTests.class.getResourceAsStream("/published-payloads/" + path)) {
            return in.readAllBytes();
        }
    }

    static EventEnvelope envelope(String type, int version, String subject, String id, byte[] data) {
        return new EventEnvelope(UUID.fromString(id), type, version, AggregateType.ORDER, "/order-command-service",
                Instant.parse("2025-03-01T10:00:00Z"), subject, 1, null, null, data);
    }
}

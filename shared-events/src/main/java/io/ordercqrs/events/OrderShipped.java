package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireCommon;
import static io.ordercqrs.events.EventFields.requireText;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A paid order left the warehouse with a carrier, trackable by its tracking number. */
public record OrderShipped(UUID eventId, OrderId orderId, long sequence, Instant occurredAt,
        CustomerId customerId, String carrier, String trackingNumber) implements OrderEvent {

    public OrderShipped {
        requireCommon(eventId, orderId, sequence, occurredAt);
        Objects.requireNonNull(customerId, "customerId must not be null");
        requireText(carrier, "carrier");
        requireText(trackingNumber, "trackingNumber");
    }

    @Override
    public <R> R dispatch(Handler<R> handler) {
        return handler.on(this);
    }
}

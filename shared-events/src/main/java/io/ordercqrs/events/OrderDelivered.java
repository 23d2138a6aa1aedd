package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireCommon;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A shipped order reached its recipient. */
public record OrderDelivered(UUID eventId, OrderId orderId, long sequence, Instant occurredAt,
        CustomerId customerId) implements OrderEvent {

    public OrderDelivered {
        requireCommon(eventId, orderId, sequence, occurredAt);
        Objects.requireNonNull(customerId, "customerId must not be null");
    }

    @Override
    public <R> R dispatch(Handler<R> handler) {
        return handler.on(this);
    }
}

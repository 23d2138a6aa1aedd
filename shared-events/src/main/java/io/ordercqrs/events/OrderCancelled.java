package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireCommon;
import static io.ordercqrs.events.EventFields.requireText;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An order was cancelled before it shipped, for the given reason. */
public record OrderCancelled(UUID eventId, OrderId orderId, long sequence, Instant occurredAt,
        CustomerId customerId, String reason) implements OrderEvent {

    public OrderCancelled {
        requireCommon(eventId, orderId, sequence, occurredAt);
        Objects.requireNonNull(customerId, "customerId must not be null");
        requireText(reason, "reason");
    }

    @Override
    public <R> R dispatch(Handler<R> handler) {
        return handler.on(this);
    }
}

package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireCommon;
import static io.ordercqrs.events.EventFields.requireText;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The order's total was paid in full. */
public record OrderPaid(UUID eventId, OrderId orderId, long sequence, Instant occurredAt,
        CustomerId customerId, Money amount, String paymentReference) implements OrderEvent {

    public OrderPaid {
        requireCommon(eventId, orderId, sequence, occurredAt);
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(amount, "amount must not be null");
        requireText(paymentReference, "paymentReference");
    }

    @Override
    public <R> R dispatch(Handler<R> handler) {
        return handler.on(this);
    }
}

package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireCommon;
import static io.ordercqrs.events.EventFields.requireText;

import java.time.Instant;
import java.util.UUID;

/** A customer registered with a name and an email address. Always the customer's first event. */
public record CustomerRegistered(UUID eventId, CustomerId customerId, long sequence, Instant occurredAt,
        String name, String email) implements CustomerEvent {

    public CustomerRegistered {
        requireCommon(eventId, customerId, sequence, occurredAt);
        requireText(name, "name");
        requireText(email, "email");
    }

    @Override
    public <R> R dispatch(Handler<R> handler) {
        return handler.on(this);
    }
}

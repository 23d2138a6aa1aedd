package io.ordercqrs.events;

import static io.ordercqrs.events.EventFields.requireCommon;
import static io.ordercqrs.events.EventFields.requireText;

import java.time.Instant;
import java.util.UUID;

/** A customer's name or email address changed; carries the complete new details. */
public record CustomerDetailsChanged(UUID eventId, CustomerId customerId, long sequence, Instant occurredAt,
        String name, String email) implements CustomerEvent {

    public CustomerDetailsChanged {
        requireCommon(eventId, customerId, sequence, occurredAt);
        requireText(name, "name");
        requireText(email, "email");
    }

    @Override
    public <R> R dispatch(Handler<R> handler) {
        return handler.on(this);
    }
}

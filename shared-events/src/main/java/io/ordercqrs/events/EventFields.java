package io.ordercqrs.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Checks shared by the event records' constructors, so a malformed event cannot exist. */
final class EventFields {

    private EventFields() {
    }

    static void requireCommon(UUID eventId, Object aggregateId, long sequence, Instant occurredAt) {
        Objects.requireNonNull(eventId, "eventId must not be null");
        Objects.requireNonNull(aggregateId, "aggregate id must not be null");
        Objects.requireNonNull(occurredAt, "occurredAt must not be null");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1 but was " + sequence);
        }
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}

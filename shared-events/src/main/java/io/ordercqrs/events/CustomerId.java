package io.ordercqrs.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** Identifies a customer; travels as a plain UUID string. */
public record CustomerId(@JsonValue UUID value) {

    public CustomerId {
        Objects.requireNonNull(value, "customer id must not be null");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CustomerId of(UUID value) {
        return new CustomerId(value);
    }

    public static CustomerId of(String value) {
        return new CustomerId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}

package io.ordercqrs.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** Identifies an order; travels as a plain UUID string. */
public record OrderId(@JsonValue UUID value) {

    public OrderId {
        Objects.requireNonNull(value, "order id must not be null");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static OrderId of(UUID value) {
        return new OrderId(value);
    }

    public static OrderId of(String value) {
        return new OrderId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}

package io.ordercqrs.events.wire;

import java.util.Objects;

/**
 * Where an event comes from: the producing service (CloudEvents {@code source}, for example
 * {@code /order-command-service}) and the request that caused it.
 *
 * @param traceparent   W3C {@code traceparent} of the causing request, or {@code null}
 * @param correlationId correlation id of the causing request, or {@code null}
 */
public record EventMetadata(String source, String traceparent, String correlationId) {

    public EventMetadata {
        Objects.requireNonNull(source, "source must not be null");
    }

    public static EventMetadata from(String source) {
        return new EventMetadata(source, null, null);
    }
}

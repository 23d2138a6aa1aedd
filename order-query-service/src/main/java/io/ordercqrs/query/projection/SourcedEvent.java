package io.ordercqrs.query.projection;

import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import org.jspecify.annotations.Nullable;

/**
 * An event read from somewhere other than a consumer: a replay's source, with where it was read
 * and the trace of the request that caused it.
 *
 * @param traceId W3C trace id, {@code null} when the event carried no trace context
 */
public record SourcedEvent(DomainEvent event, Origin origin, @Nullable String traceId) {

    /** The event {@code envelope} holds, read at {@code origin}. */
    public static SourcedEvent of(EventCodec codec, EventEnvelope envelope, Origin origin) {
        return new SourcedEvent(codec.decode(envelope), origin, envelope.traceId());
    }
}

package io.ordercqrs.command.outbox;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.wire.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One outbox row: an encoded event with its aggregate, sequence and publication state.
 *
 * @param headers     the request context stored with the event: {@code source}, {@code traceparent},
 *                    {@code correlationId}
 * @param publishedAt when Kafka acknowledged it, or {@code null}
 * @param failedAt    when Kafka refused it for good, or {@code null}
 */
public record OutboxEntry(long id, UUID eventId, AggregateType aggregateType, UUID aggregateId, long sequence,
        String eventType, int schemaVersion, String payload, Map<String, String> headers, Instant occurredAt,
        Instant publishedAt, Instant failedAt, String lastError, int publishAttempts) {

    /** The envelope to publish, with the source it was written with. */
    public EventEnvelope toEnvelope(String defaultSource) {
        return new EventEnvelope(eventId, eventType, schemaVersion, aggregateType,
                headers.getOrDefault("source", defaultSource), occurredAt, aggregateId.toString(), sequence,
                headers.get("traceparent"), headers.get("correlationId"), payload.getBytes(StandardCharsets.UTF_8));
    }
}

package io.ordercqrs.command.outbox;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.wire.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One outbox row as written: an encoded event with its aggregate and sequence. Rows are never
 * changed once written; whether one was published follows from its slot's {@link Position}.
 *
 * @param slot          the slot its aggregate hashes to
 * @param position      where it stands in its slot: its transaction id, then its id
 * @param aggregateType the aggregate type's wire name as stored (a newer version may have written
 *                      one this version does not know)
 * @param headers       the request context stored with the event as JSON: {@code source},
 *                      {@code traceparent}, {@code correlationId}
 */
public record OutboxEntry(long id, int slot, Position position, UUID eventId, String aggregateType, UUID aggregateId,
        long sequence, String eventType, int schemaVersion, String payload, String headers, Instant occurredAt) {

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    /**
     * The envelope to publish, with the source it was written with.
     *
     * @throws IllegalArgumentException when the row cannot be read as an event of this version: an
     *                                  unknown aggregate type, or headers that are not a JSON object of strings
     */
    public EventEnvelope toEnvelope(String defaultSource) {
        Map<String, String> context = headerMap();
        return new EventEnvelope(eventId, eventType, schemaVersion, AggregateType.fromWireName(aggregateType),
                context.getOrDefault("source", defaultSource), occurredAt, aggregateId.toString(), sequence,
                context.get("traceparent"), context.get("correlationId"), payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The stored request context.
     *
     * @throws IllegalArgumentException when the headers are not a JSON object of strings
     */
    public Map<String, String> headerMap() {
        try {
            return JsonMapper.shared().readValue(headers, HEADERS);
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("Unreadable outbox headers: " + e.getMessage(), e);
        }
    }
}

package io.ordercqrs.events.wire;

import io.ordercqrs.events.AggregateType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An encoded event with the attributes it travels with: the CloudEvents attributes ({@code id},
 * {@code type}, {@code source}, {@code time}, {@code subject}), the aggregate's sequence, the schema
 * version of {@code data}, and the W3C trace context and correlation id of the command that caused
 * it. {@code data} is the event as UTF-8 JSON in the given schema version.
 *
 * @param traceparent   W3C {@code traceparent} of the causing request, or {@code null}
 * @param correlationId correlation id of the causing request, or {@code null}
 */
public record EventEnvelope(UUID id, String type, int schemaVersion, AggregateType aggregateType, String source,
        Instant time, String subject, long sequence, String traceparent, String correlationId, byte[] data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(aggregateType, "aggregateType must not be null");
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(time, "time must not be null");
        Objects.requireNonNull(subject, "subject must not be null");
        Objects.requireNonNull(data, "data must not be null");
    }

    /** The topic this envelope is published to. */
    public String topic() {
        return aggregateType.topic();
    }

    /**
     * The trace id of the causing request (the 32 hex digits of a W3C {@code traceparent} of version
     * {@code 00}), or {@code null} when there is no readable trace context.
     */
    public String traceId() {
        return traceIdOf(traceparent);
    }

    /**
     * The trace id in a W3C {@code traceparent} of version {@code 00}, or {@code null} when
     * {@code traceparent} is absent or unreadable.
     */
    public static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] fields = traceparent.split("-");
        if (fields.length != 4 || !fields[0].equals("00") || !fields[1].matches("[0-9a-f]{32}")
                || fields[1].matches("0{32}")) {
            return null;
        }
        return fields[1];
    }

    /** {@code data} as a string, for logs and admin screens. */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventEnvelope that
                && schemaVersion == that.schemaVersion
                && sequence == that.sequence
                && id.equals(that.id)
                && type.equals(that.type)
                && aggregateType == that.aggregateType
                && source.equals(that.source)
                && time.equals(that.time)
                && subject.equals(that.subject)
                && Objects.equals(traceparent, that.traceparent)
                && Objects.equals(correlationId, that.correlationId)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, schemaVersion, subject, sequence) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "EventEnvelope[id=" + id + ", type=" + type + ", schemaVersion=" + schemaVersion + ", subject="
                + subject + ", sequence=" + sequence + ", time=" + time + ", data=" + dataAsString() + "]";
    }
}

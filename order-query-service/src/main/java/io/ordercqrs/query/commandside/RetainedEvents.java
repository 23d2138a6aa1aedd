package io.ordercqrs.query.commandside;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.wire.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Events as the command side's admin API shows its retained outbox rows. */
public final class RetainedEvents {

    /** The source the events read from the command side's history carry. */
    public static final String SOURCE = "/outbox-history";

    private RetainedEvents() {
    }

    /** The envelope of one row, to decode with the shared codec like a record from Kafka. */
    public static EventEnvelope envelope(JsonNode row) {
        JsonNode headers = row.path("headers");
        return new EventEnvelope(UUID.fromString(row.get("eventId").asString()), row.get("eventType").asString(),
                row.get("schemaVersion").asInt(), AggregateType.fromWireName(row.get("aggregateType").asString()),
                SOURCE, Instant.parse(row.get("occurredAt").asString()), row.get("aggregateId").asString(),
                row.get("sequence").asLong(), headers.path("traceparent").asString(null),
                headers.path("correlationId").asString(null),
                row.get("payload").toString().getBytes(StandardCharsets.UTF_8));
    }
}

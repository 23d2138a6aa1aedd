package io.ordercqrs.command;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the outbox as the relay would, for assertions. */
public final class OutboxRows {

    private final JdbcTemplate jdbc;
    private final EventCodec codec = new EventCodec();

    public OutboxRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One outbox row. */
    public record Row(long id, UUID eventId, String aggregateType, UUID aggregateId, long sequence, String eventType,
            int schemaVersion, String payload, JsonNode headers, OffsetDateTime occurredAt) {
    }

    public List<Row> of(UUID aggregateId) {
        return jdbc.query("""
                select id, event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version,
                       payload::text, headers::text, occurred_at
                from outbox where aggregate_id = ? order by sequence
                """, (rs, i) -> new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                JsonMapper.shared().readTree(rs.getString(9)), rs.getObject(10, OffsetDateTime.class)), aggregateId);
    }

    public List<Long> sequencesOf(UUID aggregateId) {
        return of(aggregateId).stream().map(Row::sequence).toList();
    }

    /** Counts the outbox rows whose payload names this customer. */
    public long countForCustomer(UUID customerId) {
        return jdbc.queryForObject("select count(*) from outbox where aggregate_id = ? or payload->>'customerId' = ?",
                Long.class, customerId, customerId.toString());
    }

    /** Decodes a row with the shared codec, as a consumer would. */
    public DomainEvent decode(Row row) {
        return codec.decode(new EventEnvelope(row.eventId(), row.eventType(), row.schemaVersion(),
                AggregateType.fromWireName(row.aggregateType()), "/test", row.occurredAt().toInstant(),
                row.aggregateId().toString(), row.sequence(), null, null,
                row.payload().getBytes(StandardCharsets.UTF_8)));
    }
}

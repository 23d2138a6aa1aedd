package io.ordercqrs.command.outbox;

import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import io.ordercqrs.events.wire.EventMetadata;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.ordercqrs.service.web.CorrelationIdFilter;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to the outbox inside the transaction that changes their aggregate, so the change
 * and its events commit or roll back together. Each row carries the aggregate's sequence, the
 * encoded event and the trace context and correlation id of the request that caused it.
 */
@Component
public class OutboxWriter {

    private final JdbcClient jdbc;
    private final EventCodec codec;
    private final OutboxSettings settings;
    private final JsonMapper json;
    private final TraceContexts traces;

    OutboxWriter(JdbcClient jdbc, EventCodec codec, OutboxSettings settings, JsonMapper json, TraceContexts traces) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.settings = settings;
        this.json = json;
        this.traces = traces;
    }

    /**
     * Writes the events as outbox rows.
     *
     * @throws IllegalStateException when called outside a transaction
     */
    public void append(List<? extends DomainEvent> events) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox rows must be written in the transaction of their aggregate");
        }
        if (events.isEmpty()) {
            return;
        }
        EventMetadata metadata = currentMetadata();
        String headers = headers(metadata);
        for (DomainEvent event : events) {
            EventEnvelope envelope = codec.encode(event, metadata);
            jdbc.sql("""
                    insert into outbox (event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version,
                                        payload, headers, occurred_at)
                    values (:eventId, :aggregateType, :aggregateId, :sequence, :eventType, :schemaVersion,
                            cast(:payload as jsonb), cast(:headers as jsonb), :occurredAt)
                    """)
                    .param("eventId", envelope.id())
                    .param("aggregateType", envelope.aggregateType().wireName())
                    .param("aggregateId", event.aggregateId())
                    .param("sequence", envelope.sequence())
                    .param("eventType", envelope.type())
                    .param("schemaVersion", envelope.schemaVersion())
                    .param("payload", new String(envelope.data(), StandardCharsets.UTF_8))
                    .param("headers", headers)
                    .param("occurredAt", OffsetDateTime.ofInstant(envelope.time(), ZoneOffset.UTC))
                    .update();
        }
    }

    private EventMetadata currentMetadata() {
        return new EventMetadata(settings.source(), traces.current(), MDC.get(CorrelationIdFilter.MDC_KEY));
    }

    private String headers(EventMetadata metadata) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("source", metadata.source());
        if (metadata.traceparent() != null) {
            headers.put("traceparent", metadata.traceparent());
        }
        if (metadata.correlationId() != null) {
            headers.put("correlationId", metadata.correlationId());
        }
        return json.writeValueAsString(headers);
    }
}

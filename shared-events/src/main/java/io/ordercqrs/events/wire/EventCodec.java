package io.ordercqrs.events.wire;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.EventType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one codec between an event and a Kafka record, used by both sides. The record value is the
 * event record as JSON in its type's current schema version, the key is the aggregate id, and
 * the headers follow the CloudEvents Kafka binding (see {@link CloudEventHeaders}).
 *
 * <p>Decoding reads every schema version ever published, upcasting old payloads to the current
 * record. Anything that cannot become an event is reported as an {@link UndecodableEvent}, never
 * skipped. Instances are thread-safe.
 */
public final class EventCodec {

    private final JsonMapper json;
    private final UpcasterChain upcasters;

    /** A codec with the built-in upcasters. */
    public EventCodec() {
        this(UpcasterChain.builtIn());
    }

    /**
     * A codec with the given upcasters, which must cover every older schema version of every
     * event type.
     */
    public EventCodec(List<Upcaster> upcasters) {
        this.upcasters = new UpcasterChain(upcasters);
        this.json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Only record components travel; helper methods such as Money.isNegative() must not.
                .changeDefaultVisibility(visibility -> visibility
                        .withFieldVisibility(JsonAutoDetect.Visibility.ANY)
                        .withIsGetterVisibility(JsonAutoDetect.Visibility.NONE)
                        .withGetterVisibility(JsonAutoDetect.Visibility.NONE))
                .build();
    }

    /** Encodes an event in its type's current schema version. */
    public EventEnvelope encode(DomainEvent event, EventMetadata metadata) {
        EventType type = EventType.of(event);
        return new EventEnvelope(event.eventId(), type.wireName(), type.schemaVersion(), event.aggregateType(),
                metadata.source(), event.occurredAt(), event.aggregateId().toString(), event.sequence(),
                metadata.traceparent(), metadata.correlationId(), json.writeValueAsBytes(event));
    }

    /**
     * Decodes an envelope of any published schema version into the current event record.
     *
     * @throws UnknownEventType          when the type is not part of this contract
     * @throws UnsupportedSchemaVersion  when the payload is newer than this build
     * @throws MalformedEvent            when the payload is not a valid event or disagrees with the envelope
     */
    public DomainEvent decode(EventEnvelope envelope) {
        EventType type = EventType.fromWireName(envelope.type())
                .orElseThrow(() -> new UnknownEventType(envelope.type()));
        if (envelope.schemaVersion() < 1) {
            throw new MalformedEvent("Schema version must be at least 1 but was " + envelope.schemaVersion());
        }
        if (envelope.schemaVersion() > type.schemaVersion()) {
            throw new UnsupportedSchemaVersion(type.wireName(), envelope.schemaVersion(), type.schemaVersion());
        }
        if (type.aggregateType() != envelope.aggregateType()) {
            throw new MalformedEvent("Event type '" + type.wireName() + "' does not belong on the "
                    + envelope.aggregateType().topic() + " topic");
        }
        DomainEvent event = bind(type, upcasters.upcast(type, envelope.schemaVersion(), parseObject(envelope)));
        requireAgreement(envelope, event);
        return event;
    }

    /** Decodes a consumed Kafka record; see {@link #decode(EventEnvelope)}. */
    public DomainEvent decode(ConsumerRecord<String, byte[]> record) {
        return decode(toEnvelope(record));
    }

    /** The Kafka record that publishes this envelope: its aggregate's topic, keyed by aggregate id. */
    public ProducerRecord<String, byte[]> toProducerRecord(EventEnvelope envelope) {
        Headers headers = new RecordHeaders();
        CloudEventHeaders.put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        CloudEventHeaders.put(headers, CloudEventHeaders.ID, envelope.id().toString());
        CloudEventHeaders.put(headers, CloudEventHeaders.TYPE, envelope.type());
        CloudEventHeaders.put(headers, CloudEventHeaders.SOURCE, envelope.source());
        CloudEventHeaders.put(headers, CloudEventHeaders.TIME, envelope.time().toString());
        CloudEventHeaders.put(headers, CloudEventHeaders.SUBJECT, envelope.subject());
        CloudEventHeaders.put(headers, CloudEventHeaders.SEQUENCE, Long.toString(envelope.sequence()));
        CloudEventHeaders.put(headers, CloudEventHeaders.SCHEMA_VERSION, Integer.toString(envelope.schemaVersion()));
        CloudEventHeaders.put(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        CloudEventHeaders.put(headers, CloudEventHeaders.TRACEPARENT, envelope.traceparent());
        CloudEventHeaders.put(headers, CloudEventHeaders.CORRELATION_ID, envelope.correlationId());
        return new ProducerRecord<>(envelope.topic(), null, envelope.subject(), envelope.data(), headers);
    }

    /**
     * Reads the envelope of a consumed Kafka record, without decoding its payload.
     *
     * @throws MalformedEvent when a required header is missing or unreadable, or the record has no value
     */
    public EventEnvelope toEnvelope(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        AggregateType aggregateType;
        try {
            aggregateType = AggregateType.fromTopic(record.topic());
        }
        catch (IllegalArgumentException e) {
            throw new MalformedEvent(e.getMessage(), e);
        }
        if (record.value() == null) {
            throw new MalformedEvent("Kafka record at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " has no value");
        }
        try {
            String specVersion = CloudEventHeaders.require(headers, CloudEventHeaders.SPEC_VERSION);
            if (!CloudEventHeaders.SPEC_VERSION_VALUE.equals(specVersion)) {
                throw new MalformedEvent("Unsupported CloudEvents spec version '" + specVersion + "'");
            }
            return new EventEnvelope(
                    UUID.fromString(CloudEventHeaders.require(headers, CloudEventHeaders.ID)),
                    CloudEventHeaders.require(headers, CloudEventHeaders.TYPE),
                    Integer.parseInt(CloudEventHeaders.require(headers, CloudEventHeaders.SCHEMA_VERSION)),
                    aggregateType,
                    CloudEventHeaders.require(headers, CloudEventHeaders.SOURCE),
                    Instant.parse(CloudEventHeaders.require(headers, CloudEventHeaders.TIME)),
                    CloudEventHeaders.require(headers, CloudEventHeaders.SUBJECT),
                    Long.parseLong(CloudEventHeaders.require(headers, CloudEventHeaders.SEQUENCE)),
                    CloudEventHeaders.get(headers, CloudEventHeaders.TRACEPARENT),
                    CloudEventHeaders.get(headers, CloudEventHeaders.CORRELATION_ID),
                    record.value());
        }
        catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedEvent("Kafka record has an unreadable CloudEvents header: " + e.getMessage(), e);
        }
    }

    private ObjectNode parseObject(EventEnvelope envelope) {
        JsonNode tree;
        try {
            tree = json.readTree(envelope.data());
        }
        catch (JacksonException e) {
            throw new MalformedEvent("Payload of " + envelope.type() + " " + envelope.id() + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedEvent("Payload of " + envelope.type() + " " + envelope.id() + " is not a JSON object");
        }
        return (ObjectNode) tree;
    }

    private DomainEvent bind(EventType type, ObjectNode payload) {
        try {
            return json.treeToValue(payload, type.recordType());
        }
        catch (JacksonException e) {
            throw new MalformedEvent("Payload is not a valid " + type.wireName() + " event: " + describe(e), e);
        }
    }

    private static String describe(JacksonException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String path = e.getPathReference();
        String reason = root instanceof JacksonException jackson ? jackson.getOriginalMessage() : root.getMessage();
        return path == null || path.isBlank() ? reason : reason + " (at " + path + ")";
    }

    private static void requireAgreement(EventEnvelope envelope, DomainEvent event) {
        List<String> disagreements = new ArrayList<>();
        if (!event.eventId().equals(envelope.id())) {
            disagreements.add("id " + envelope.id() + " vs eventId " + event.eventId());
        }
        if (!event.aggregateId().toString().equals(envelope.subject())) {
            disagreements.add("subject " + envelope.subject() + " vs aggregate id " + event.aggregateId());
        }
        if (event.sequence() != envelope.sequence()) {
            disagreements.add("sequence " + envelope.sequence() + " vs " + event.sequence());
        }
        if (!disagreements.isEmpty()) {
            throw new MalformedEvent("Headers and payload disagree: " + String.join(", ", disagreements));
        }
    }
}

package io.ordercqrs.events.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordercqrs.events.AggregateType;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderPlaced;
import io.ordercqrs.events.SampleEvents;
import io.ordercqrs.events.Topics;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EventCodecTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final EventCodec codec = new EventCodec();
    private final EventMetadata metadata = new EventMetadata("/order-command-service", TRACEPARENT, "corr-1");

    static Iterable<DomainEvent> everyEvent() {
        return SampleEvents.all();
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void decodesWhatItEncodedThroughAKafkaRecord(DomainEvent event) {
        ProducerRecord<String, byte[]> produced = codec.toProducerRecord(codec.encode(event, metadata));

        DomainEvent decoded = codec.decode(KafkaRecords.consumed(produced));

        assertThat(decoded).isEqualTo(event);
    }

    @Test
    void publishesOnTheAggregatesTopicKeyedByAggregateIdWithCloudEventsHeaders() {
        OrderPlaced event = SampleEvents.orderPlaced();

        ProducerRecord<String, byte[]> record = codec.toProducerRecord(codec.encode(event, metadata));

        assertThat(record.topic()).isEqualTo(Topics.ORDER_EVENTS);
        assertThat(record.key()).isEqualTo(event.orderId().toString());
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_id")).isEqualTo(event.eventId().toString());
        assertThat(header(record, "ce_type")).isEqualTo("order.placed");
        assertThat(header(record, "ce_source")).isEqualTo("/order-command-service");
        assertThat(header(record, "ce_time")).isEqualTo("2026-11-23T09:15:30.123456Z");
        assertThat(header(record, "ce_subject")).isEqualTo(event.orderId().toString());
        assertThat(header(record, "ce_sequence")).isEqualTo("1");
        assertThat(header(record, "ce_schemaversion")).isEqualTo("2");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(header(record, "traceparent")).isEqualTo(TRACEPARENT);
        assertThat(header(record, "ce_correlationid")).isEqualTo("corr-1");
    }

    @Test
    void readsTheTraceIdOfTheCausingRequestFromItsTraceparentOnlyWhenItIsReadable() {
        OrderPlaced event = SampleEvents.orderPlaced();

        assertThat(codec.toEnvelope(KafkaRecords.consumed(codec.toProducerRecord(codec.encode(event, metadata))))
                .traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        for (String unreadable : Arrays.asList(null, "", "garbage",
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")) {
            EventMetadata traced = new EventMetadata("/order-command-service", unreadable, null);
            assertThat(codec.encode(event, traced).traceId()).as(String.valueOf(unreadable)).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void writesExactlyTheRecordComponents(DomainEvent event) {
        JsonNode json = JsonMapper.shared().readTree(codec.encode(event, metadata).data());

        assertThat(json.propertyNames()).containsExactly(Arrays.stream(event.getClass().getRecordComponents())
                .map(RecordComponent::getName).toArray(String[]::new));
    }

    @Test
    void writesMoneyAsExactDecimalStringsAndNoJavaClassNames() {
        String json = codec.encode(SampleEvents.orderPlaced(), metadata).dataAsString();

        assertThat(json).contains("\"total\":{\"amount\":\"27.97\",\"currency\":\"EUR\"}")
                .contains("\"occurredAt\":\"2026-11-23T09:15:30.123456Z\"")
                .doesNotContain("io.ordercqrs")
                .doesNotContain("@class");
    }

    @Test
    void reportsAnUnknownEventTypeByName() {
        EventEnvelope envelope = withType(codec.encode(SampleEvents.orderPaid(), metadata), "order.refunded");

        assertThatThrownBy(() -> codec.decode(envelope))
                .isInstanceOf(UnknownEventType.class)
                .hasMessage("Unknown event type 'order.refunded'");
    }

    @Test
    void reportsAPayloadThatIsNotJson() {
        EventEnvelope envelope = withData(codec.encode(SampleEvents.orderPaid(), metadata), "\u0000\u0001garbage");

        assertThatThrownBy(() -> codec.decode(envelope))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("is not JSON");
    }

    @Test
    void reportsAJsonValueThatIsNotAnObject() {
        EventEnvelope envelope = withData(codec.encode(SampleEvents.orderPaid(), metadata), "[1,2]");

        assertThatThrownBy(() -> codec.decode(envelope))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("is not a JSON object");
    }

    @Test
    void namesTheMissingField() {
        EventEnvelope original = codec.encode(SampleEvents.orderShipped(), metadata);
        String withoutCarrier = original.dataAsString().replace("\"carrier\":\"DHL\",", "");

        assertThatThrownBy(() -> codec.decode(withData(original, withoutCarrier)))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("order.shipped")
                .hasMessageContaining("carrier");
    }

    @Test
    void namesTheFieldThatBreaksAnInvariant() {
        EventEnvelope original = codec.encode(SampleEvents.orderPlaced(), metadata);
        String negativeQuantity = original.dataAsString().replace("\"quantity\":2", "\"quantity\":-2");

        assertThatThrownBy(() -> codec.decode(withData(original, negativeQuantity)))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("quantity must be at least 1");
    }

    @Test
    void ignoresFieldsAddedByNewerProducers() {
        EventEnvelope original = codec.encode(SampleEvents.orderDelivered(), metadata);
        String withExtra = original.dataAsString().replaceFirst("\\{", "{\"signedBy\":\"neighbour\",");

        assertThat(codec.decode(withData(original, withExtra))).isEqualTo(SampleEvents.orderDelivered());
    }

    @Test
    void refusesSchemaVersionsNewerThanThisBuild() {
        EventEnvelope original = codec.encode(SampleEvents.orderPaid(), metadata);
        EventEnvelope fromTheFuture = new EventEnvelope(original.id(), original.type(), 9, original.aggregateType(),
                original.source(), original.time(), original.subject(), original.sequence(), null, null,
                original.data());

        assertThatThrownBy(() -> codec.decode(fromTheFuture))
                .isInstanceOf(UnsupportedSchemaVersion.class)
                .hasMessageContaining("schema version 9");
    }

    @Test
    void refusesHeadersThatDisagreeWithThePayload() {
        EventEnvelope original = codec.encode(SampleEvents.orderPaid(), metadata);
        EventEnvelope lying = new EventEnvelope(original.id(), original.type(), original.schemaVersion(),
                original.aggregateType(), original.source(), original.time(), original.subject(), 7, null, null,
                original.data());

        assertThatThrownBy(() -> codec.decode(lying))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("sequence 7 vs 2");
    }

    @Test
    void refusesAnEventOnTheWrongTopic() {
        EventEnvelope original = codec.encode(SampleEvents.orderPaid(), metadata);
        EventEnvelope misplaced = new EventEnvelope(original.id(), original.type(), original.schemaVersion(),
                AggregateType.CUSTOMER, original.source(), original.time(), original.subject(), original.sequence(),
                null, null, original.data());

        assertThatThrownBy(() -> codec.decode(misplaced))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("does not belong on the orders.customer.events topic");
    }

    @Test
    void reportsARecordWithoutCloudEventsHeaders() {
        ConsumerRecord<String, byte[]> bare = KafkaRecords.consumed(new ProducerRecord<>(Topics.ORDER_EVENTS, null,
                UUID.randomUUID().toString(), "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders()));

        assertThatThrownBy(() -> codec.decode(bare))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("lacks the 'ce_specversion' header");
    }

    @Test
    void reportsAnUnreadableSequenceHeader() {
        ProducerRecord<String, byte[]> record = codec.toProducerRecord(codec.encode(SampleEvents.orderPaid(), metadata));
        record.headers().remove("ce_sequence");
        record.headers().add("ce_sequence", "two".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode(KafkaRecords.consumed(record)))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("unreadable CloudEvents header");
    }

    @Test
    void reportsATombstone() {
        ConsumerRecord<String, byte[]> tombstone = KafkaRecords.consumed(new ProducerRecord<>(Topics.ORDER_EVENTS,
                "k", null));

        assertThatThrownBy(() -> codec.decode(tombstone))
                .isInstanceOf(MalformedEvent.class)
                .hasMessageContaining("has no value");
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return CloudEventHeaders.get(record.headers(), name);
    }

    private static EventEnvelope withType(EventEnvelope e, String type) {
        return new EventEnvelope(e.id(), type, e.schemaVersion(), e.aggregateType(), e.source(), e.time(),
                e.subject(), e.sequence(), e.traceparent(), e.correlationId(), e.data());
    }

    private static EventEnvelope withData(EventEnvelope e, String data) {
        return new EventEnvelope(e.id(), e.type(), e.schemaVersion(), e.aggregateType(), e.source(), e.time(),
                e.subject(), e.sequence(), e.traceparent(), e.correlationId(), data.getBytes(StandardCharsets.UTF_8));
    }
}

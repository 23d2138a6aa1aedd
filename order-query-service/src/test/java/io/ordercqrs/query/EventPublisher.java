package io.ordercqrs.query;

import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventMetadata;
import io.ordercqrs.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/** Publishes events to the real broker the way the relay does, and raw records the relay never would. */
public final class EventPublisher implements AutoCloseable {

    private static final EventCodec CODEC = new EventCodec();

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.get().kafkaBootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());

    /**
     * Publishes the events in order, each to its aggregate's topic keyed by aggregate id, each one
     * acknowledged before the next is sent.
     */
    public void publish(DomainEvent... events) {
        for (DomainEvent event : events) {
            send(record(event));
        }
    }

    /**
     * Publishes the events in order, each to its aggregate's topic keyed by aggregate id, and
     * returns once the broker acknowledged them all. Each is sent without waiting for the one before
     * it to be acknowledged (the idempotent producer keeps every partition in the order sent), so a
     * history of thousands of events takes a moment, not a linger and a round trip per event.
     */
    public void publishAll(List<? extends DomainEvent> events) {
        List<Runnable> acknowledgements = new ArrayList<>();
        for (DomainEvent event : events) {
            ProducerRecord<String, byte[]> record = record(event);
            Future<RecordMetadata> sent = producer.send(record);
            acknowledgements.add(() -> acknowledged(record, sent));
        }
        producer.flush();
        acknowledgements.forEach(Runnable::run);
    }

    /** Publishes one event; answers where it landed. */
    public RecordMetadata publishAt(DomainEvent event) {
        RecordMetadata metadata = send(record(event));
        producer.flush();
        return metadata;
    }

    /** The partition the relay publishes {@code event} to (Kafka's default partitioner, by key). */
    public int partitionOf(DomainEvent event) {
        ProducerRecord<String, byte[]> record = record(event);
        return Utils.toPositive(Utils.murmur2(record.key().getBytes(StandardCharsets.UTF_8)))
                % producer.partitionsFor(record.topic()).size();
    }

    /** Publishes {@code event} as caused by the request of W3C trace context {@code traceparent}. */
    public void publishTraced(DomainEvent event, String traceparent) {
        send(CODEC.toProducerRecord(CODEC.encode(event, new EventMetadata("/tests", traceparent, null))));
        producer.flush();
    }

    /** Publishes a record as it is, say one that is not an event at all. */
    public void publishRaw(ProducerRecord<String, byte[]> record) {
        send(record);
        producer.flush();
    }

    /** The record the relay publishes for {@code event}. */
    public static ProducerRecord<String, byte[]> record(DomainEvent event) {
        return CODEC.toProducerRecord(CODEC.encode(event, EventMetadata.from("/tests")));
    }

    /** {@code event} as a consumer receives it, at the given partition and offset. */
    public static ConsumerRecord<String, byte[]> consumed(DomainEvent event, int partition, long offset) {
        ProducerRecord<String, byte[]> produced = record(event);
        ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>(produced.topic(), partition, offset,
                produced.key(), produced.value());
        produced.headers().forEach(header -> consumed.headers().add(header));
        return consumed;
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> record) {
        return acknowledged(record, producer.send(record));
    }

    private static RecordMetadata acknowledged(ProducerRecord<String, byte[]> record, Future<RecordMetadata> sent) {
        try {
            return sent.get(30, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not publish to " + record.topic(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

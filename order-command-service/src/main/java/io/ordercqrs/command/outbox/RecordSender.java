package io.ordercqrs.command.outbox;

import io.ordercqrs.events.wire.EventCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Turns outbox rows into Kafka records and sends them on a producer of the relay's own, which it
 * throws away (without waiting) when Kafka fails, so nothing it still held is sent after the relay
 * started over.
 */
class RecordSender implements AutoCloseable {

    /** A row that cannot become a record this version can send; it fails for good. */
    static final class UnsendableRow extends Exception {

        UnsendableRow(String message) {
            super(message);
        }
    }

    private final Supplier<Producer<String, byte[]>> producers;
    private final EventCodec codec;
    private final String defaultSource;
    private final int maxRecordBytes;
    private Producer<String, byte[]> producer;

    RecordSender(Supplier<Producer<String, byte[]>> producers, EventCodec codec, String defaultSource,
            int maxRecordBytes) {
        this.producers = producers;
        this.codec = codec;
        this.defaultSource = defaultSource;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** A producer built from Kafka client settings, with the relay's serializers. */
    static Supplier<Producer<String, byte[]>> producers(Map<String, Object> config) {
        return () -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The record of a row.
     *
     * @throws UnsendableRow when the row cannot be read as an event of this version, or its record
     *                       is larger than Kafka accepts
     */
    ProducerRecord<String, byte[]> recordOf(OutboxEntry entry) throws UnsendableRow {
        ProducerRecord<String, byte[]> record;
        try {
            record = codec.toProducerRecord(entry.toEnvelope(defaultSource));
        }
        catch (RuntimeException e) {
            throw new UnsendableRow(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        int size = sizeOf(record);
        if (size > maxRecordBytes) {
            throw new UnsendableRow("RecordTooLargeException: the record is " + size + " bytes, more than the "
                    + maxRecordBytes + " bytes Kafka accepts");
        }
        return record;
    }

    /**
     * Sends a record; the callback hears Kafka's answer (on the producer's thread).
     *
     * @throws KafkaUnavailable when the producer failed the record at once for a reason that is not
     *                          the record's (no metadata within {@code max.block.ms}): the records
     *                          after it would each wait as long, so the relay starts over instead
     */
    void send(ProducerRecord<String, byte[]> record, Callback callback) {
        if (producer == null) {
            producer = producers.get();
        }
        Future<RecordMetadata> sent = producer.send(record, callback);
        if (sent.isDone()) {
            try {
                sent.get();
            }
            catch (ExecutionException e) {
                Throwable cause = KafkaUnavailable.unwrap(e.getCause());
                if (!isPermanent(cause)) {
                    throw new KafkaUnavailable(cause);
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Throws the producer away, dropping what it still holds; the next send starts a new one. */
    void reset() {
        Producer<String, byte[]> current = producer;
        producer = null;
        if (current != null) {
            current.close(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        Producer<String, byte[]> current = producer;
        producer = null;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }

    /** Whether Kafka refused a record for good, so sending it again cannot help. */
    static boolean isPermanent(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof SerializationException || failure instanceof InvalidTopicException
                || failure instanceof InvalidRecordException;
    }

    private static int sizeOf(ProducerRecord<String, byte[]> record) {
        int size = record.key().length() + (record.value() == null ? 0 : record.value().length) + 64;
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length) + 8;
        }
        return size;
    }
}

package io.ordercqrs.command.outbox;

import io.ordercqrs.events.wire.EventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.KafkaException;

/**
 * Sends a batch of outbox rows to Kafka with many records in flight and reports, per row, whether
 * Kafka acknowledged it, refused it for good, or could not be reached. Within one aggregate it
 * never reports a row as published after one of its earlier rows failed, so rows are marked
 * published only in aggregate order.
 */
class KafkaPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final ProducerFactory<String, byte[]> producers;
    private final EventCodec codec;
    private final String defaultSource;
    private final int maxRecordBytes;
    private final Duration sendTimeout;

    KafkaPublisher(ProducerFactory<String, byte[]> producers, EventCodec codec, String defaultSource,
            int maxRecordBytes, Duration sendTimeout) {
        this.producers = producers;
        this.kafka = new KafkaTemplate<>(producers);
        this.codec = codec;
        this.defaultSource = defaultSource;
        this.maxRecordBytes = maxRecordBytes;
        this.sendTimeout = sendTimeout;
    }

    /** What happened to a batch. */
    record Outcome(List<OutboxEntry> published, Map<OutboxEntry, String> refused, Throwable transientFailure,
            List<Instant> ackTimes) {

        boolean failedTransiently() {
            return transientFailure != null;
        }
    }

    Outcome publish(List<OutboxEntry> batch) {
        Map<OutboxEntry, String> refused = new LinkedHashMap<>();
        Set<UUID> stopped = new HashSet<>();
        List<Sent> sent = new ArrayList<>();
        Throwable transientFailure = null;
        for (OutboxEntry entry : batch) {
            if (stopped.contains(entry.aggregateId())) {
                continue;
            }
            ProducerRecord<String, byte[]> record = codec.toProducerRecord(entry.toEnvelope(defaultSource));
            int size = sizeOf(record);
            if (size > maxRecordBytes) {
                refused.put(entry, "RecordTooLargeException: the record is " + size + " bytes, more than the "
                        + maxRecordBytes + " bytes Kafka accepts");
                stopped.add(entry.aggregateId());
                continue;
            }
            try {
                sent.add(new Sent(entry, kafka.send(record).thenApply(result -> Instant.now())));
            }
            catch (RuntimeException e) {
                // The producer could not even take the record (Kafka unreachable); the rest waits for the next try.
                transientFailure = e;
                break;
            }
        }
        List<OutboxEntry> published = new ArrayList<>();
        List<Instant> ackTimes = new ArrayList<>();
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        for (Sent attempt : sent) {
            Throwable failure = outcome(attempt.ack(), deadline);
            UUID aggregate = attempt.entry().aggregateId();
            if (failure == null && !stopped.contains(aggregate)) {
                published.add(attempt.entry());
                ackTimes.add(attempt.ack().join());
            }
            else if (failure != null) {
                stopped.add(aggregate);
                if (isPermanent(failure)) {
                    refused.put(attempt.entry(), failure.getClass().getSimpleName() + ": " + failure.getMessage());
                }
                else if (transientFailure == null) {
                    transientFailure = failure;
                }
            }
        }
        return new Outcome(published, refused, transientFailure, ackTimes);
    }

    /** Drops the producer and everything it still holds, so the next batch starts clean. */
    void reset() {
        producers.reset();
    }

    private static Throwable outcome(CompletableFuture<Instant> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        }
        catch (ExecutionException e) {
            return e.getCause() == null ? e : unwrap(e.getCause());
        }
        catch (TimeoutException e) {
            return e;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof KafkaException || cause instanceof CompletionException
                        || cause instanceof ExecutionException)) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static boolean isPermanent(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof SerializationException || failure instanceof InvalidTopicException;
    }

    private static int sizeOf(ProducerRecord<String, byte[]> record) {
        int size = record.key().length() + (record.value() == null ? 0 : record.value().length) + 64;
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length) + 8;
        }
        return size;
    }

    private record Sent(OutboxEntry entry, CompletableFuture<Instant> ack) {
    }
}

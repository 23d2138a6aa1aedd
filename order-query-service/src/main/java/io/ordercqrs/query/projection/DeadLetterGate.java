package io.ordercqrs.query.projection;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where the projection parks records that failed for good, and holds the later records of their
 * aggregate behind them so that no aggregate's events are ever applied out of order. Each set of
 * views has letters of its own.
 */
public interface DeadLetterGate {

    /** For each of {@code aggregates} with an open letter in {@code views}: its earliest one. */
    Map<AggregateKey, Blocker> blockers(ViewSet views, Collection<AggregateKey> aggregates);

    /** Keeps records that must wait behind open letters of their aggregates. */
    void hold(ViewSet views, List<HeldRecord> records);

    /**
     * Parks {@code record}, which failed {@code attempts} times with {@code failure}. A record ops
     * discarded before (in any set of views) is not parked again.
     */
    ParkedRecord park(ViewSet views, ConsumerRecord<String, byte[]> record, Throwable failure, int attempts);

    /** An aggregate as the topics know it: its topic and its record key. */
    record AggregateKey(String topic, String key) {

        static AggregateKey of(ConsumerRecord<String, byte[]> record) {
            return new AggregateKey(record.topic(), String.valueOf(record.key()));
        }
    }

    /**
     * The earliest open letter of an aggregate: records read after it wait behind it.
     *
     * @param letterId  the letter
     * @param partition where its record was read
     * @param offset    where its record was read
     */
    record Blocker(String letterId, int partition, long offset) {

        /** Whether {@code record} came after this letter's record, so it must not overtake it. */
        boolean holds(ConsumerRecord<?, ?> record) {
            return record.partition() != partition || record.offset() > offset;
        }
    }

    /** A record to keep behind the open letter {@code blockedBy}. */
    record HeldRecord(ConsumerRecord<String, byte[]> record, String blockedBy) {
    }

    /**
     * What became of a failed record.
     *
     * @param letterId its dead letter
     * @param open     {@code false} when ops had discarded it before, so it blocks nothing
     */
    record ParkedRecord(String letterId, boolean open) {
    }
}

package io.ordercqrs.query.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where an applied event came from, as derived views need to know it: the position of the record
 * read in partition order, or {@link #LATE} for an event applied out of that order (a dead letter
 * retried, history from the command side).
 *
 * @param partition the record's partition, {@code -1} when late
 * @param offset    the record's offset, {@code -1} when late
 */
public record Origin(int partition, long offset) {

    public static final Origin LATE = new Origin(-1, -1);

    static Origin of(ConsumerRecord<?, ?> record) {
        return new Origin(record.partition(), record.offset());
    }

    public boolean late() {
        return offset < 0;
    }
}

package io.ordercqrs.query.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where an applied event came from, as derived views need to know it: the position of the record
 * read in partition order, or {@link #LATE} for an event applied out of that order (a dead letter
 * retried, history from the command side).
 *
 * @param partition the record's partition, {@link #HISTORY} for the command side's history, {@code -1} when late
 * @param offset    the record's offset (its position in that history), {@code -1} when late
 */
public record Origin(int partition, long offset) {

    public static final Origin LATE = new Origin(-1, -1);

    /**
     * The "partition" of the command side's retained history when a rebuild reads it: one more
     * sequence of positions beside the topics' partitions, read in order once.
     */
    public static final int HISTORY = -2;

    /** The {@code ordinal}-th event of the command side's history, as a rebuild reads it in order. */
    public static Origin history(long ordinal) {
        return new Origin(HISTORY, ordinal);
    }

    static Origin of(ConsumerRecord<?, ?> record) {
        return new Origin(record.partition(), record.offset());
    }

    public boolean late() {
        return offset < 0;
    }
}

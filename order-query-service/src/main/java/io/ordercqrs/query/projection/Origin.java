package io.ordercqrs.query.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where an applied event came from, as derived views need to know it: the position of the record
 * read in partition order, its position in one read of the command side's history, or
 * {@link #LATE} for an event applied out of that order (a dead letter retried).
 *
 * @param partition the record's partition; {@link #HISTORY} and below for a read of the command
 *                  side's history ({@link #history}); {@code -1} when late
 * @param offset    the record's offset (its position in that read of the history), {@code -1} when late,
 *                  {@code -2} when late and counted ({@link #COUNTED_LATE})
 */
public record Origin(int partition, long offset) {

    public static final Origin LATE = new Origin(-1, -1);

    /**
     * An event applied late that every view derived from it has counted, with no mark of its own
     * there any more: derived views keep a mark per order with late changes only until its view
     * records this, so their marks do not grow with such orders.
     */
    public static final Origin COUNTED_LATE = new Origin(-1, -2);

    /**
     * The "partition" of the first read of the command side's retained history when a rebuild
     * reads it: one more sequence of positions beside the topics' partitions, read in order once.
     * A read that another instance takes over goes on as a sequence of its own, one below.
     */
    public static final int HISTORY = -2;

    /**
     * The {@code ordinal}-th event of the {@code read}-th read of the command side's history (1
     * for the reader that started; one more for each that took the read over), as it reads it in
     * order. Each read is a sequence of its own: the reader that takes over reads the last page
     * again, maybe with rows that committed meanwhile among them, so its positions cannot go on
     * from its predecessor's.
     */
    public static Origin history(int read, long ordinal) {
        return new Origin(HISTORY - (Math.max(1, read) - 1), ordinal);
    }

    /** The read of the command side's history a "partition" stands for (1 and up), or 0 for a topic's partition. */
    public static int historyRead(int partition) {
        return partition <= HISTORY ? HISTORY - partition + 1 : 0;
    }

    static Origin of(ConsumerRecord<?, ?> record) {
        return new Origin(record.partition(), record.offset());
    }

    /** Whether the event was applied out of partition order ({@link #LATE} or {@link #COUNTED_LATE}). */
    public boolean late() {
        return offset < 0;
    }

    /** Whether the event was applied late and counted by every derived view ({@link #COUNTED_LATE}). */
    public boolean countedLate() {
        return equals(COUNTED_LATE);
    }
}

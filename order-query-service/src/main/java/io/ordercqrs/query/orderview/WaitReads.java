package io.ordercqrs.query.orderview;

/**
 * When a waiting query reads its view: {@code pollEvery} after it began, then each time twice as
 * long after the read before, up to {@value #LONGEST_INTERVAL} times {@code pollEvery}, and once
 * more {@code pollEvery} before its deadline, so a view that arrives late in a long interval is
 * still found before the wait gives up. Every other read also asks whether the order is held
 * behind a dead letter. Times are {@link System#nanoTime()} values; the poller's alone.
 */
final class WaitReads {

    private static final int LONGEST_INTERVAL = 8;

    private final long pollEvery;
    private final long lastRead;
    private long interval;
    private long nextRead;
    private int reads;

    /**
     * @param began     when the wait began
     * @param pollEvery the first interval, and how often the poller looks for reads that are due
     * @param deadline  when the wait ends unanswered
     */
    WaitReads(long began, long pollEvery, long deadline) {
        this.pollEvery = pollEvery;
        this.lastRead = deadline - pollEvery;
        this.interval = pollEvery;
        this.nextRead = began + pollEvery;
    }

    /** Whether the view is to be read at the poller's tick {@code now}: its next read falls before the middle of the next tick. */
    boolean due(long now) {
        return nextRead - now < pollEvery / 2;
    }

    /** Whether this read also asks about dead letters. */
    boolean checksHeld() {
        return reads % 2 == 1;
    }

    /** A read at {@code now} found the view not there yet. */
    void readAgainAfter(long now) {
        reads++;
        interval = Math.min(interval * 2, pollEvery * LONGEST_INTERVAL);
        long next = now + interval;
        boolean lastReadAhead = lastRead - now > pollEvery / 2;
        nextRead = lastReadAhead && next - lastRead > 0 ? lastRead : next;
    }

    /** When the view is read next. */
    long nextRead() {
        return nextRead;
    }
}

package io.ordercqrs.query.generation;

import io.ordercqrs.query.projection.ViewSet;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;

/**
 * One view generation, as every instance reads it from MongoDB.
 *
 * @param id              its number: 1 for the first, then one more for each rebuild
 * @param state           where it stands
 * @param groupId         the Kafka consumer group that feeds it
 * @param requestedBy     who started it
 * @param startedAt       when it started
 * @param startOffsets    where its consumers started in each partition (the earliest offsets then)
 * @param catchUpTarget   the end offsets at the last check: it has caught up once its group committed these
 * @param progress        events done and to do, rate and time left, as of the last check
 * @param skipped         records it parked or held (its open dead letters) at the last check
 * @param switchRequested whether ops asked to switch to it even though it skipped records
 * @param switchedAt      when it became the active generation
 * @param retireAt        when, once replaced, it stops consuming and is dropped
 * @param finishedAt      when it switched, was cancelled or failed
 * @param cleanedAt       when its collections and consumer group were removed
 * @param note            who cancelled it, why it failed, or what else ops should know
 * @param history         for a rebuild from the command side's retained history, how reading it
 *                        goes; {@code null} for one from the topics
 */
public record Generation(
        @Id long id,
        GenerationState state,
        String groupId,
        String requestedBy,
        Instant startedAt,
        List<PartitionOffset> startOffsets,
        List<PartitionOffset> catchUpTarget,
        Progress progress,
        long skipped,
        boolean switchRequested,
        @Nullable Instant switchedAt,
        @Nullable Instant retireAt,
        @Nullable Instant finishedAt,
        @Nullable Instant cleanedAt,
        @Nullable String note,
        @Nullable History history) {

    public Generation {
        startOffsets = startOffsets == null ? List.of() : List.copyOf(startOffsets);
        catchUpTarget = catchUpTarget == null ? List.of() : List.copyOf(catchUpTarget);
        progress = progress == null ? Progress.NONE : progress;
    }

    /** Whether instances consume the topics for it: always, except while it reads the command side's history. */
    public boolean consumesTopics() {
        return history == null || history.done();
    }

    /** The collections it fills. */
    public ViewSet views() {
        return ViewSet.generation(id);
    }

    /**
     * How far a generation has come.
     *
     * @param eventsDone    records its consumers committed, from where they started
     * @param eventsTotal   records in the topics from there to the end offsets
     * @param ratePerSecond records done per second since it started
     * @param etaSeconds    seconds left at that rate, or {@code null} while unknown
     * @param checkedAt     when this was measured
     */
    public record Progress(long eventsDone, long eventsTotal, double ratePerSecond, @Nullable Long etaSeconds,
            @Nullable Instant checkedAt) {

        static final Progress NONE = new Progress(0, 0, 0, null, null);
    }

    /**
     * A rebuild's first step when it starts from the command side's retained history: one instance
     * reads the history page by page into the generation; its consumers then read the topics from
     * where they ended when it started ({@code startOffsets}), so every event is in one or the
     * other, and those in both are applied once.
     *
     * @param done       whether all of it was applied
     * @param events     events applied so far
     * @param cursor     where the next page starts
     * @param reader     the instance reading it, and that read's own id
     * @param leaseUntil when, without news from that reader, another instance takes the read over
     * @param read       which read this is: 1 for the reader that started, one more for each that
     *                   took it over (the events each applies are a sequence of their own: {@link
     *                   io.ordercqrs.query.projection.Origin#history})
     */
    public record History(boolean done, long events, @Nullable String cursor, String reader, Instant leaseUntil,
            int read) {
    }
}

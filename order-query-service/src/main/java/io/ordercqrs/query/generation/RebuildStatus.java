package io.ordercqrs.query.generation;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a rebuild (a view generation after the first) stands, as any instance answers it.
 *
 * @param generation      the generation the rebuild fills
 * @param state           where it stands
 * @param active          whether queries read it now
 * @param eventsDone      records its consumers committed
 * @param eventsTotal     records from where it started to the topics' end (grows while events arrive);
 *                        once it switched in, what it had done then
 * @param eventsToGo      records still to do; none once it switched in
 * @param skipped         records it parked or held as dead letters; it does not switch in by itself then
 * @param skippedRecords  the first of them, to show, retry or discard as dead letters
 * @param switchRequested whether ops asked to switch despite skipped records
 * @param ratePerSecond   records per second since it started
 * @param etaSeconds      seconds left at that rate, or {@code null} while unknown
 * @param requestedBy     who started it
 * @param startedAt       when it started
 * @param switchedAt      when it became active, or {@code null}
 * @param finishedAt      when it switched, was cancelled or failed, or {@code null}
 * @param note            who cancelled it or why it failed, or {@code null}
 * @param source          where it reads the events from: the topics, or the command side's history first
 * @param historyEvents   events read from the command side's history so far ({@code null} from the topics)
 * @param historyRead     whether the history is read and its consumers go on from the topics
 *                        ({@code null} from the topics)
 * @param historyReader   the instance reading the history (process id, host and a read's own id),
 *                        or that read it last; another one goes on if it stops ({@code null} from
 *                        the topics)
 */
public record RebuildStatus(long generation, GenerationState state, boolean active, long eventsDone, long eventsTotal,
        long eventsToGo, long skipped, List<SkippedRecords.Skipped> skippedRecords, boolean switchRequested,
        double ratePerSecond, @Nullable Long etaSeconds, String requestedBy, Instant startedAt,
        @Nullable Instant switchedAt, @Nullable Instant finishedAt, @Nullable String note, Rebuilds.Source source,
        @Nullable Long historyEvents, @Nullable Boolean historyRead, @Nullable String historyReader) {

    static RebuildStatus of(Generation generation, long activeGeneration, List<SkippedRecords.Skipped> skipped) {
        Generation.Progress progress = generation.progress();
        Generation.History history = generation.history();
        boolean built = !generation.state().rebuilding() && generation.state() != GenerationState.CANCELLED
                && generation.state() != GenerationState.FAILED;
        long total = built ? progress.eventsDone() : progress.eventsTotal();
        return new RebuildStatus(generation.id(), generation.state(), generation.id() == activeGeneration,
                progress.eventsDone(), total, Math.max(0, total - progress.eventsDone()), generation.skipped(),
                skipped, generation.switchRequested(), progress.ratePerSecond(),
                built ? Long.valueOf(0) : progress.etaSeconds(), generation.requestedBy(), generation.startedAt(),
                generation.switchedAt(), generation.finishedAt(), generation.note(),
                history == null ? Rebuilds.Source.TOPICS : Rebuilds.Source.HISTORY,
                history == null ? null : history.events(), history == null ? null : history.done(),
                history == null ? null : history.reader());
    }
}

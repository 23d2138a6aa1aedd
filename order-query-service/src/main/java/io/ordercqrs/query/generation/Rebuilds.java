package io.ordercqrs.query.generation;

import io.ordercqrs.events.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Rebuilds as ops start, watch, cancel and switch them: each is a new generation, and any instance
 * answers for it because its state lives in MongoDB. Starting and cancelling are conditional
 * updates that race the automatic switch fairly: a cancel that is answered with success stays
 * cancelled, and one that comes after the switch is refused.
 */
@Component
public class Rebuilds {

    private static final int SKIPPED_LISTED = 20;

    private final Generations generations;
    private final KafkaOffsets kafka;
    private final SkippedRecords skipped;
    private final GenerationSupervisor supervisor;
    private final HistoryRebuild history;

    Rebuilds(Generations generations, KafkaOffsets kafka, SkippedRecords skipped, GenerationSupervisor supervisor,
            HistoryRebuild history) {
        this.generations = generations;
        this.kafka = kafka;
        this.skipped = skipped;
        this.supervisor = supervisor;
        this.history = history;
    }

    /** Where a rebuild reads the events from. */
    public enum Source {
        /** The topics, from their earliest offsets. */
        TOPICS,
        /**
         * The command side's retained history, then the topics from where they ended at the start:
         * for topics whose retention deleted events the command side still holds.
         */
        HISTORY
    }

    /**
     * Starts a new generation; every instance starts consuming for it (from {@link Source#HISTORY},
     * once the history is read, with the query service's own token or the ops caller's {@code token}).
     */
    public RebuildStatus start(String requestedBy, Source source, String token) {
        boolean fromHistory = source == Source.HISTORY;
        Map<TopicPartition, Long> from = fromHistory ? kafka.end(Topics.ALL) : kafka.earliest(Topics.ALL);
        OptionalLong allocated = generations.allocate();
        if (allocated.isEmpty()) {
            throw new RebuildAlreadyRunning(generations.latestRebuild().map(Generation::id).orElse(0L));
        }
        long id = allocated.getAsLong();
        Generation generation = new Generation(id, GenerationState.BUILDING, supervisor.groupOf(id), requestedBy,
                generations.now(), PartitionOffset.of(from), List.of(), Generation.Progress.NONE, 0, false, null,
                null, null, null, null, fromHistory ? history.start() : null);
        try {
            if (fromHistory) {
                kafka.startAt(generation.groupId(), from);
            }
            generations.insert(generation);
        }
        catch (RuntimeException e) {
            generations.release(id);
            throw e;
        }
        if (fromHistory) {
            history.read(generation, token, supervisor::nudge);
        }
        supervisor.nudge();
        return status(generations.find(id).orElseThrow());
    }

    /** The rebuild under way, or the last one. */
    public RebuildStatus status() {
        return status(generations.latestRebuild().orElseThrow(NoRebuild::new));
    }

    /** Cancels the rebuild under way, unless it switched in already. */
    public RebuildStatus cancel(String requestedBy) {
        Generation latest = generations.latestRebuild().orElseThrow(NoRebuild::new);
        if (generations.transition(latest.id(), List.of(GenerationState.BUILDING, GenerationState.READY),
                GenerationState.CANCELLED, new Update().set("finishedAt", generations.now())
                        .set("note", "cancelled by " + requestedBy))) {
            generations.release(latest.id());
            supervisor.nudge();
            return status(generations.find(latest.id()).orElseThrow());
        }
        Generation now = generations.find(latest.id()).orElseThrow(NoRebuild::new);
        if (now.state() == GenerationState.CANCELLED || now.state() == GenerationState.FAILED) {
            throw new NoRebuild();
        }
        throw new RebuildAlreadySwitched(now.id(), now.state());
    }

    /** Switches the rebuild under way in as soon as it has caught up, even though it skipped records. */
    public RebuildStatus requestSwitch() {
        Generation latest = generations.latestRebuild().orElseThrow(NoRebuild::new);
        if (!generations.requestSwitch(latest.id())) {
            Generation now = generations.find(latest.id()).orElseThrow(NoRebuild::new);
            if (now.state() == GenerationState.CANCELLED || now.state() == GenerationState.FAILED) {
                throw new NoRebuild();
            }
            throw new RebuildAlreadySwitched(now.id(), now.state());
        }
        supervisor.nudge();
        return status(generations.find(latest.id()).orElseThrow());
    }

    /** The generations whose records concern ops: the active one, and a rebuild under way if there is one. */
    public List<Long> current() {
        List<Long> current = new ArrayList<>();
        current.add(generations.pointer().active());
        generations.latestRebuild().filter(generation -> generation.state().rebuilding())
                .ifPresent(generation -> current.add(generation.id()));
        return current;
    }

    /** Every generation still listed, newest first. */
    public List<RebuildStatus> generations() {
        long activeId = generations.pointer().active();
        return generations.all().stream()
                .sorted(Comparator.comparingLong(Generation::id).reversed())
                .map(generation -> RebuildStatus.of(generation, activeId, List.of()))
                .toList();
    }

    private RebuildStatus status(Generation generation) {
        List<SkippedRecords.Skipped> listed = generation.skipped() > 0 && !generation.state().ended()
                ? skipped.list(generation.id(), SKIPPED_LISTED) : List.of();
        return RebuildStatus.of(generation, generations.pointer().active(), listed);
    }
}

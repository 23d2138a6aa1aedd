package io.ordercqrs.query.generation;

import io.ordercqrs.events.Topics;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Runs on every instance and moves the generations along, every {@code follow-every}: it follows
 * the active generation, runs a consumer for each generation that is consumed and for nothing
 * else, measures a rebuild from its group's committed offsets against the topics' end offsets, and
 * switches it in once it has caught up on every partition and skipped nothing (or ops asked). A
 * replaced generation is retired after the grace period; an ended one has its consumer group and
 * collections removed. Every step is a conditional update, so it does not matter how many
 * instances take it at once, and a restart of any or all of them resumes where they were.
 *
 * <p>What a crash leaves behind is found here and reported: a rebuild lock held with no rebuild
 * under way is freed, and collections of generations that ended or never existed are dropped.
 */
@Component
class GenerationSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GenerationSupervisor.class);
    private static final Pattern GENERATION_COLLECTION = Pattern.compile(".+_g(\\d+)");
    private static final Pattern OLD_REBUILD_COLLECTION = Pattern.compile(".+_rebuild_[0-9a-f]{8}");
    private static final int SWEEP_EVERY_TICKS = 10;

    private final Generations generations;
    private final GenerationConsumers consumers;
    private final ActiveViews active;
    private final KafkaOffsets kafka;
    private final SkippedRecords skipped;
    private final EventProjection projection;
    private final MongoTemplate mongo;
    private final GenerationSettings settings;
    private final HistoryRebuild historyReader;
    private final String baseGroupId;
    private ScheduledExecutorService ticks;
    private volatile boolean running;
    private int tick;

    GenerationSupervisor(Generations generations, GenerationConsumers consumers, ActiveViews active,
            KafkaOffsets kafka, SkippedRecords skipped, EventProjection projection, MongoTemplate mongo,
            GenerationSettings settings, HistoryRebuild historyReader, KafkaProperties kafkaProperties) {
        this.generations = generations;
        this.consumers = consumers;
        this.active = active;
        this.kafka = kafka;
        this.skipped = skipped;
        this.projection = projection;
        this.mongo = mongo;
        this.settings = settings;
        this.historyReader = historyReader;
        this.baseGroupId = kafkaProperties.getConsumer().getGroupId();
    }

    /** The consumer group of generation {@code id}: the configured group with the generation's suffix. */
    String groupOf(long id) {
        return baseGroupId + "-g" + id;
    }

    /** Starts before the web server, so queries find the active generation, and stops after it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    @Override
    public void start() {
        if (generations.initialize(groupOf(1))) {
            forgetEarlierVersion();
        }
        running = true;
        tickSafely();
        ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "view-generations");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.followEvery().toMillis();
        ticks.scheduleWithFixedDelay(this::tickSafely, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        ScheduledExecutorService scheduled = ticks;
        if (scheduled != null) {
            scheduled.shutdownNow();
            try {
                scheduled.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumers.stopAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * The first start with generations: views of an earlier version (plain collection names, its
     * rebuilds' copies, its consumer group) are dropped; generation 1 builds them again from the
     * earliest offsets. Query instances of earlier versions must be stopped first.
     */
    private void forgetEarlierVersion() {
        for (String name : mongo.getCollectionNames()) {
            if (projection.views().contains(name) || OLD_REBUILD_COLLECTION.matcher(name).matches()) {
                log.warn("Dropping {}: views of an earlier version; generation 1 builds them again from the topics",
                        name);
                mongo.dropCollection(name);
            }
        }
        try {
            kafka.deleteGroup(baseGroupId);
        }
        catch (KafkaOffsets.KafkaUnavailable e) {
            log.warn("Could not remove consumer group {} of an earlier version: {}", baseGroupId, e.getMessage());
        }
    }

    /** Takes the next step now rather than at the next tick, say right after ops asked for something. */
    void nudge() {
        ScheduledExecutorService scheduled = ticks;
        if (scheduled != null && !scheduled.isShutdown()) {
            scheduled.execute(this::tickSafely);
        }
    }

    private void tickSafely() {
        try {
            tick();
        }
        catch (RuntimeException e) {
            log.warn("View generations: this step failed and is tried again: {}", e.toString());
        }
    }

    /** One round over every generation. */
    synchronized void tick() {
        if (!running) {
            return;
        }
        ActiveGeneration pointer = generations.pointer();
        active.follow(pointer.active());
        List<Generation> all = generations.all();
        consumers.follow(all.stream().filter(generation -> generation.state().consumed()
                && generation.consumesTopics()).toList());
        for (Generation generation : all) {
            switch (generation.state()) {
                case BUILDING, READY -> measure(generation);
                case SWITCHING -> completeSwitch(generation);
                case ACTIVE -> retireIfReplaced(generation, pointer);
                case RETIRING -> dropWhenGraceEnds(generation);
                case RETIRED, CANCELLED, FAILED -> cleanUp(generation);
                default -> {
                }
            }
        }
        if (tick++ % SWEEP_EVERY_TICKS == 0) {
            sweep(pointer);
        }
    }

    /** Records a rebuild's progress, and switches it in once it has caught up and skipped nothing. */
    private void measure(Generation generation) {
        if (!generation.consumesTopics()) {
            handOverAbandonedHistory(generation);
            return;
        }
        Map<TopicPartition, Long> start = PartitionOffset.toMap(generation.startOffsets());
        Map<TopicPartition, Long> end = kafka.end(Topics.ALL);
        Map<TopicPartition, Long> committed = kafka.committed(generation.groupId());
        Map<TopicPartition, Long> target = PartitionOffset.toMap(generation.catchUpTarget());
        boolean caughtUp = !target.isEmpty();
        long done = 0;
        long total = 0;
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            long from = start.getOrDefault(partition.getKey(), 0L);
            long at = committed.getOrDefault(partition.getKey(), from);
            done += Math.max(0, at - from);
            total += Math.max(0, partition.getValue() - from);
            caughtUp &= at >= target.getOrDefault(partition.getKey(), partition.getValue());
        }
        Instant now = generations.now();
        double seconds = Math.max(0.001, Duration.between(generation.startedAt(), now).toMillis() / 1000.0);
        double rate = done / seconds;
        Long eta = caughtUp ? Long.valueOf(0) : rate > 0 ? Long.valueOf(Math.round((total - done) / rate)) : null;
        long skippedNow = skipped.count(generation.id());
        generations.recordProgress(generation.id(), new Generation.Progress(done, total,
                Math.round(rate * 10) / 10.0, eta, now), PartitionOffset.of(end), skippedNow);
        if (!caughtUp) {
            return;
        }
        if (skippedNow == 0 || generation.switchRequested()) {
            if (generations.transition(generation.id(), List.of(GenerationState.BUILDING, GenerationState.READY),
                    GenerationState.SWITCHING, new Update())) {
                log.info("View generation {} caught up with {} events{}: switching to it", generation.id(), done,
                        skippedNow == 0 ? "" : " (" + skippedNow + " skipped, switch requested by ops)");
                generations.find(generation.id()).ifPresent(this::completeSwitch);
            }
        }
        else if (generations.transition(generation.id(), List.of(GenerationState.BUILDING), GenerationState.READY,
                new Update())) {
            log.warn("View generation {} caught up but skipped {} records: it switches in only when ops ask "
                    + "(POST /admin/rebuilds/current/switch) or its dead letters are resolved", generation.id(),
                    skippedNow);
        }
    }

    /**
     * Goes on with a rebuild whose history reader gave no news for {@code history-lease} (its
     * instance is gone) on this instance, or fails it when the query service has no token of its
     * own to read the history with.
     */
    private void handOverAbandonedHistory(Generation generation) {
        Generation.History history = generation.history();
        if (history == null || generations.now().isBefore(history.leaseUntil())) {
            return;
        }
        if (historyReader.handsOver()) {
            historyReader.takeOver(generation, this::nudge);
            return;
        }
        String why = "The instance reading the command side's history (" + history.reader() + ") stopped after "
                + history.events() + " events, and no other instance can go on with the ops caller's token (give the "
                + "query service a client of its own: ordercqrs.command-service.client-id): start the rebuild again";
        if (generations.failAbandonedReading(generation.id(), history.reader(), why)) {
            log.warn("View generation {} failed: {}", generation.id(), why);
        }
    }

    /** Points every instance at a generation that was decided to switch in, and retires the one it replaces. */
    private void completeSwitch(Generation generation) {
        ActiveGeneration pointer = generations.pointer();
        if (pointer.active() != generation.id() && !generations.point(pointer.active(), generation.id())) {
            return;
        }
        Instant now = generations.now();
        if (generations.transition(generation.id(), List.of(GenerationState.SWITCHING), GenerationState.ACTIVE,
                new Update().set("switchedAt", now).set("finishedAt", now))) {
            log.info("View generation {} is active; generation {} retires in {}", generation.id(), pointer.active(),
                    settings.retireAfter());
        }
        active.follow(generation.id());
        generations.find(pointer.active()).ifPresent(replaced -> retireIfReplaced(replaced, generations.pointer()));
    }

    private void retireIfReplaced(Generation generation, ActiveGeneration pointer) {
        if (pointer.active() != generation.id()) {
            generations.transition(generation.id(), List.of(GenerationState.ACTIVE), GenerationState.RETIRING,
                    new Update().set("retireAt", generations.now().plus(settings.retireAfter())));
        }
    }

    private void dropWhenGraceEnds(Generation generation) {
        if (generation.retireAt() != null && !generations.now().isBefore(generation.retireAt())) {
            generations.transition(generation.id(), List.of(GenerationState.RETIRING), GenerationState.RETIRED,
                    new Update());
        }
    }

    /** Removes an ended generation's consumer group and collections, once no instance consumes for it. */
    private void cleanUp(Generation generation) {
        if (generation.cleanedAt() != null || consumers.running().contains(generation.id())) {
            return;
        }
        if (!kafka.deleteGroup(generation.groupId())) {
            return;
        }
        drop(generation.views());
        skipped.generationDropped(generation.id());
        generations.cleaned(generation.id());
        log.info("View generation {} ({}) dropped: consumer group {} and its collections removed", generation.id(),
                generation.state(), generation.groupId());
    }

    private void drop(ViewSet views) {
        for (String view : projection.views()) {
            mongo.dropCollection(views.collection(view));
        }
    }

    /**
     * Finds what crashes left behind: a rebuild lock with no rebuild, and collections of
     * generations that ended or never started. A generation being created right now (the newest
     * number, while the lock is held) is left alone, and each one is read again before dropping.
     */
    private void sweep(ActiveGeneration pointer) {
        List<Generation> all = generations.all();
        if (pointer.rebuilding() && all.stream().noneMatch(generation -> generation.state().rebuilding())
                && pointer.rebuildingSince() != null
                && pointer.rebuildingSince().plus(settings.abandonedAfter()).isBefore(generations.now())) {
            log.warn("The rebuild lock was held since {} with no rebuild under way (an instance died while "
                    + "starting generation {}): freeing it", pointer.rebuildingSince(), pointer.lastGeneration());
            generations.release(pointer.lastGeneration());
        }
        Set<Long> dropped = new HashSet<>();
        for (String name : mongo.getCollectionNames()) {
            Matcher generation = GENERATION_COLLECTION.matcher(name);
            if (!generation.matches()) {
                continue;
            }
            long id = Long.parseLong(generation.group(1));
            boolean beingCreated = pointer.rebuilding() && id >= pointer.lastGeneration();
            if (id > pointer.lastGeneration() || beingCreated || !gone(generations.find(id))) {
                continue;
            }
            log.warn("Dropping {}: its view generation {} ended or never started", name, id);
            mongo.dropCollection(name);
            if (dropped.add(id)) {
                kafka.deleteGroup(groupOf(id));
            }
        }
        generations.forgetEnded(settings.keepEnded());
    }

    /** Whether a generation's collections may go: it was cleaned up after it ended, or it never existed. */
    private static boolean gone(Optional<Generation> generation) {
        return generation.map(found -> found.state().ended() && found.cleanedAt() != null).orElse(true);
    }
}

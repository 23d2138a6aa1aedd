package io.ordercqrs.query.admin;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.RenameCollectionOptions;
import io.ordercqrs.events.Topics;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ProjectionListener;
import io.ordercqrs.query.projection.ViewCollections;
import io.ordercqrs.query.projection.ViewIndexes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the views without downtime: a fresh set of collections is filled from the earliest
 * offsets while the live set keeps serving queries and being updated. When the fresh set has
 * caught up, this instance's consumers pause for the switch, the fresh set is drained to the end
 * of the topics and renamed over the live one (each rename atomic), and the consumers resume; the
 * records other instances applied to the old set meanwhile are applied again to the new one.
 * One rebuild at a time; cancellable; progress readable throughout.
 */
@Component
public class ViewRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ViewRebuilds.class);
    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(60);

    private final TopicScan topics;
    private final EventProjection projection;
    private final MongoTemplate mongo;
    private final ViewIndexes indexes;
    private final KafkaListenerEndpointRegistry listeners;
    private final Clock clock;
    private final AtomicReference<Run> current = new AtomicReference<>();

    ViewRebuilds(TopicScan topics, EventProjection projection, MongoTemplate mongo, ViewIndexes indexes,
            KafkaListenerEndpointRegistry listeners, Clock clock) {
        this.topics = topics;
        this.projection = projection;
        this.mongo = mongo;
        this.indexes = indexes;
        this.listeners = listeners;
        this.clock = clock;
    }

    /** Starts a rebuild in the background. */
    public synchronized RebuildProgress start(String view, String requestedBy) {
        Run running = current.get();
        if (running != null && running.progress().running()) {
            throw new RebuildAlreadyRunning(running.id);
        }
        Run run = new Run(UUID.randomUUID().toString().substring(0, 8), view, requestedBy, clock.instant());
        current.set(run);
        Thread worker = new Thread(run::execute, "view-rebuild-" + run.id);
        worker.setDaemon(true);
        worker.start();
        return run.progress();
    }

    /** The running or last rebuild. */
    public RebuildProgress current() {
        Run run = current.get();
        if (run == null) {
            throw new NoRebuild();
        }
        return run.progress();
    }

    /** Asks the running rebuild to stop; the live views stay as they are. */
    public RebuildProgress cancel() {
        Run run = current.get();
        if (run == null || !run.progress().running()) {
            throw new NoRebuild();
        }
        run.cancelled = true;
        return run.progress();
    }

    /** There is no rebuild to show or cancel. */
    public static class NoRebuild extends RuntimeException {
        NoRebuild() {
            super("No rebuild is running");
        }
    }

    private final class Run {

        final String id;
        final String view;
        final String requestedBy;
        final Instant startedAt;
        final ViewCollections target;
        final AtomicLong done = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        volatile long total;
        volatile RebuildState state = RebuildState.RUNNING;
        volatile boolean cancelled;
        volatile Instant finishedAt;
        volatile String error;

        Run(String id, String view, String requestedBy, Instant startedAt) {
            this.id = id;
            this.view = view;
            this.requestedBy = requestedBy;
            this.startedAt = startedAt;
            this.target = ViewCollections.suffixed("_rebuild_" + id);
        }

        RebuildProgress progress() {
            Instant end = finishedAt != null ? finishedAt : clock.instant();
            double seconds = Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
            long doneNow = done.get();
            long toGo = Math.max(0, total - doneNow);
            double rate = doneNow / seconds;
            Long eta = null;
            if (!state.running()) {
                eta = 0L;
            }
            else if (rate > 0) {
                eta = Math.round(toGo / rate);
            }
            return new RebuildProgress(id, view, state, doneNow, total, toGo, skipped.get(),
                    Math.round(rate * 10) / 10.0, eta, requestedBy, startedAt, finishedAt, error);
        }

        void execute() {
            try {
                indexes.ensure(target);
                Map<TopicPartition, Long> switchedAt;
                try (TopicScan.Scan scan = topics.open(Topics.ALL, new TopicScan.Earliest())) {
                    total = scan.total();
                    while (!scan.done()) {
                        if (cancelled) {
                            finish(RebuildState.CANCELLED, null);
                            return;
                        }
                        scan.next().forEach(this::apply);
                    }
                    state = RebuildState.SWITCHING;
                    switchedAt = switchOver(scan);
                }
                try (TopicScan.Scan window = topics.open(Topics.ALL, new TopicScan.At(switchedAt))) {
                    window.readAll(batch -> applyTo(batch, ViewCollections.LIVE));
                }
                finish(RebuildState.DONE, null);
                log.info("Rebuild {} done: {} records in {}", id, done.get(), Duration.between(startedAt, finishedAt));
            }
            catch (RuntimeException e) {
                log.error("Rebuild {} failed", id, e);
                finish(RebuildState.FAILED, e.getMessage());
            }
        }

        /** Pauses this instance's consumers, drains to the topics' end and renames the fresh set over the live one. */
        private Map<TopicPartition, Long> switchOver(TopicScan.Scan scan) {
            MessageListenerContainer live = listeners.getListenerContainer(ProjectionListener.ID);
            if (live != null) {
                live.pause();
            }
            try {
                awaitPaused(live);
                scan.extendToCurrentEnd();
                total = scan.total();
                while (!scan.done()) {
                    scan.next().forEach(this::apply);
                }
                Map<TopicPartition, Long> positions = scan.positions();
                rename(target.customers(), ViewCollections.LIVE.customers());
                rename(target.orderViews(), ViewCollections.LIVE.orderViews());
                rename(target.summaries(), ViewCollections.LIVE.summaries());
                return positions;
            }
            finally {
                if (live != null) {
                    live.resume();
                }
            }
        }

        private void awaitPaused(MessageListenerContainer live) {
            if (live == null || !live.isRunning()) {
                return;
            }
            long deadline = System.nanoTime() + PAUSE_TIMEOUT.toNanos();
            while (!live.isContainerPaused()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The live consumers did not pause within " + PAUSE_TIMEOUT);
                }
                sleep();
            }
        }

        private void rename(String from, String to) {
            if (!mongo.collectionExists(from)) {
                mongo.createCollection(from);
            }
            mongo.getCollection(from).renameCollection(new MongoNamespace(mongo.getDb().getName(), to),
                    new RenameCollectionOptions().dropTarget(true));
        }

        private void apply(List<ConsumerRecord<String, byte[]>> batch) {
            applyTo(batch, target);
            done.addAndGet(batch.size());
        }

        private void applyTo(List<ConsumerRecord<String, byte[]>> batch, ViewCollections collections) {
            projection.projectPastFailures(batch, collections, false, (failed, cause) -> {
                log.warn("Rebuild {} skips {}-{}@{}: {}", id, failed.topic(), failed.partition(), failed.offset(),
                        cause.getMessage());
                skipped.incrementAndGet();
            });
        }

        private void finish(RebuildState finalState, String failure) {
            if (finalState == RebuildState.DONE) {
                // offsets only estimate the total: a partition's offsets may have gaps without records
                total = done.get();
            }
            else {
                List.of(target.orderViews(), target.customers(), target.summaries()).forEach(mongo::dropCollection);
            }
            error = failure;
            finishedAt = clock.instant();
            state = finalState;
        }

        private void sleep() {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
    }
}

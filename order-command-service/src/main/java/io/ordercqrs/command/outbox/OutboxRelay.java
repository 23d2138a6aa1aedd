package io.ordercqrs.command.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Publishes the outbox to Kafka: every committed row reaches its aggregate's topic at least once,
 * keyed by aggregate id, in sequence order, and is stamped published only after Kafka
 * acknowledged it.
 *
 * <p>Several instances (in several JVMs) share the work by owning outbox slots (see
 * {@link SlotOwnership}); all rows of one aggregate share a slot, so one owner at a time publishes
 * them, oldest first. The relay wakes as soon as a transaction with outbox rows commits and also
 * polls, so rows committed out of id order are never skipped. When Kafka or PostgreSQL fails it
 * backs off exponentially and starts again from the oldest unpublished row; commands keep being
 * accepted meanwhile. A row Kafka refuses for good is set aside as failed, and only its
 * aggregate's later rows wait behind it.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxEntries entries;
    private final SlotOwnership ownership;
    private final KafkaPublisher publisher;
    private final KafkaAdmin topics;
    private final RelaySettings settings;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong published = new AtomicLong();
    private final Counter publishedCounter;
    private final Counter failureCounter;
    private final Timer publishLatency;

    private volatile boolean running;
    private volatile Thread thread;
    private volatile Instant lastPublishAt;
    private volatile String lastError;
    private volatile Set<Integer> ownedSlots = Set.of();
    private volatile int members;
    private boolean topicsReady;
    private long readNanos;

    OutboxRelay(OutboxEntries entries, SlotOwnership.ConnectionFactory dedicatedConnection, KafkaPublisher publisher,
            KafkaAdmin topics, RelaySettings settings, MeterRegistry meters) {
        this.entries = entries;
        this.ownership = new SlotOwnership(dedicatedConnection, OutboxEntries.SLOTS, settings.lockNamespace());
        this.publisher = publisher;
        this.topics = topics;
        this.settings = settings;
        MeterRegistry registry = meters == null ? new SimpleMeterRegistry() : meters;
        this.publishedCounter = Counter.builder("ordercqrs.outbox.published")
                .description("Outbox rows Kafka acknowledged").register(registry);
        this.failureCounter = Counter.builder("ordercqrs.outbox.publish.failures")
                .description("Batches that failed to reach Kafka").register(registry);
        this.publishLatency = Timer.builder("ordercqrs.outbox.publish.latency")
                .description("From an event's commit to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay-" + instance);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            ownership.abort();
            try {
                current.join(settings.sendTimeout().plusSeconds(5).toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server, so no accepted command waits for a relay that is gone. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    public RelayStatus status() {
        return new RelayStatus(instance, running, ownedSlots, members, published.get(), lastPublishAt, lastError);
    }

    private void run() {
        Duration backoff = settings.initialBackoff();
        long nextRebalance = 0;
        try {
            while (running) {
                try {
                    if (System.nanoTime() >= nextRebalance || ownedSlots.isEmpty()) {
                        ownedSlots = Set.copyOf(ownership.refresh());
                        members = ownership.members();
                        nextRebalance = System.nanoTime() + settings.rebalanceInterval().toNanos();
                    }
                    if (ownedSlots.isEmpty()) {
                        ownership.awaitNotification(settings.rebalanceInterval());
                        continue;
                    }
                    long readStart = System.nanoTime();
                    List<OutboxEntry> batch = entries.nextBatch(ownedSlots, settings.batchSize());
                    readNanos = System.nanoTime() - readStart;
                    if (batch.isEmpty()) {
                        recovered();
                        backoff = settings.initialBackoff();
                        // Sleep until a commit notifies, the fallback poll is due, or it is time to rebalance.
                        long untilRebalance = Math.max(1, nextRebalance - System.nanoTime());
                        ownership.awaitNotification(min(settings.pollInterval(), Duration.ofNanos(untilRebalance)));
                        continue;
                    }
                    if (publishBatch(batch)) {
                        backoff = settings.initialBackoff();
                    }
                    else {
                        pause(backoff);
                        backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
                    }
                }
                catch (Exception e) {
                    if (!running) {
                        break;
                    }
                    failed("Outbox relay could not reach PostgreSQL", e);
                    ownedSlots = Set.of();
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
                }
            }
        }
        finally {
            ownership.close();
            ownedSlots = Set.of();
            log.info("Outbox relay {} stopped after publishing {} rows", instance, published.get());
        }
    }

    /** Publishes one batch; answers false when Kafka could not be reached. */
    private boolean publishBatch(List<OutboxEntry> batch) {
        if (!topicsReady) {
            topicsReady = topics == null || topics.initialize();
        }
        long sendStart = System.nanoTime();
        KafkaPublisher.Outcome outcome = publisher.publish(batch);
        long markStart = System.nanoTime();
        entries.markPublished(outcome.published().stream().map(OutboxEntry::id).toList());
        if (log.isDebugEnabled()) {
            log.debug("Batch of {}: read {} ms, sent and acknowledged {} ms, marked {} ms", batch.size(),
                    readNanos / 1_000_000, (markStart - sendStart) / 1_000_000, (System.nanoTime() - markStart) / 1_000_000);
        }
        for (Map.Entry<OutboxEntry, String> refused : outcome.refused().entrySet()) {
            OutboxEntry entry = refused.getKey();
            log.error("Kafka refused outbox row {} ({} #{} of {}) for good: {}", entry.id(), entry.eventType(),
                    entry.sequence(), entry.aggregateId(), refused.getValue());
            entries.markFailed(entry.id(), refused.getValue());
        }
        record(outcome);
        if (outcome.failedTransiently()) {
            failureCounter.increment();
            failed("Outbox relay could not reach Kafka", outcome.transientFailure());
            publisher.reset();
            topicsReady = false;
            return false;
        }
        recovered();
        return true;
    }

    private void record(KafkaPublisher.Outcome outcome) {
        List<OutboxEntry> done = outcome.published();
        for (int i = 0; i < done.size(); i++) {
            publishLatency.record(Duration.between(done.get(i).occurredAt(), outcome.ackTimes().get(i)));
        }
        if (!done.isEmpty()) {
            published.addAndGet(done.size());
            publishedCounter.increment(done.size());
            lastPublishAt = Instant.now();
        }
    }

    private void failed(String what, Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!message.equals(lastError)) {
            log.warn("{}; backing off and retrying: {}", what, message);
        }
        lastError = message;
    }

    private void recovered() {
        if (lastError != null) {
            log.info("Outbox relay {} recovered", instance);
            lastError = null;
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

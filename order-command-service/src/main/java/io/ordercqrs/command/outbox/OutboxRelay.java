package io.ordercqrs.command.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes the outbox to Kafka: every committed row reaches its aggregate's topic at least once,
 * keyed by aggregate id, in sequence order.
 *
 * <p>Several instances (in several JVMs) share the work by owning outbox slots (see
 * {@link SlotOwnership}); all rows of one aggregate share a slot, so one owner at a time publishes
 * them. Each slot is read in the order of the writing transactions, from a stored
 * {@link Position}, and only up to the oldest transaction still running, so a transaction that
 * commits late is never passed over. One thread reads ahead while Kafka acknowledges what it sent
 * (at most one record per aggregate in flight, see {@link AggregateLanes}) and moves each slot's
 * position, in one transaction with the rows it set aside, once every row before it is settled.
 *
 * <p>The relay wakes as soon as a transaction with outbox rows commits and also polls. When Kafka
 * or PostgreSQL fails it throws its producer away, backs off exponentially and starts again from
 * the stored positions; commands keep being accepted meanwhile. A row Kafka refuses for good (or
 * that this version cannot turn into a record) is set aside as failed, and only its aggregate's
 * later rows wait behind it until ops retry or discard it.
 */
public class OutboxRelay implements Relay, AggregateLanes.Effects {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int HELD_LOAD_LIMIT = 10_000;
    private static final long SETTLE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long SLOW_ACK_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final OutboxEntries entries;
    private final SlotOwnership ownership;
    private final SlotOwnership.ConnectionFactory listenerConnections;
    private final RecordSender sender;
    private final BooleanSupplier topicsReady;
    private final RelaySettings settings;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final AtomicLong published = new AtomicLong();
    private final Counter publishedCounter;
    private final Counter failureCounter;
    private final Timer publishLatency;

    private volatile boolean running;
    private volatile Thread thread;
    private volatile CommitListener listener;
    private volatile Instant lastPublishAt;
    private volatile String lastError;
    private volatile Throwable died;
    private volatile Set<Integer> ownedSlots = Set.of();
    private volatile int members;
    private volatile int inFlight;
    private volatile int blockedAggregates;
    private volatile long oldestUnansweredSince;

    // Relay thread only.
    private final AggregateLanes lanes = new AggregateLanes(this);
    private final SlotProgress progress = new SlotProgress();
    private final Map<Integer, Position> cursors = new HashMap<>();
    private final Map<Integer, Integer> lastReadPerSlot = new HashMap<>();
    private final List<Long> toHold = new ArrayList<>();
    private final Map<Long, String> toFail = new LinkedHashMap<>();
    private final List<Long> toRelease = new ArrayList<>();
    private final Map<Integer, Position> toMove = new HashMap<>();
    private int generation;
    private boolean reloadAll = true;
    private boolean reloadHeld;
    private boolean readDue = true;
    private long nextReadAt;
    private long readBackoffNanos;
    private int lastPerSlot = 8;
    private long lastSettleAt;
    private long lastAnswerAt;
    private boolean topicsSetUp;

    /** Kafka's answer to one record. */
    private record Answer(int generation, AggregateLanes.Item item, Exception failure) {
    }

    OutboxRelay(OutboxEntries entries, SlotOwnership.ConnectionFactory dedicatedConnection, RecordSender sender,
            BooleanSupplier topicsReady, RelaySettings settings, MeterRegistry meters) {
        this.entries = entries;
        this.ownership = new SlotOwnership(dedicatedConnection, OutboxEntries.SLOTS, settings.lockNamespace());
        this.listenerConnections = dedicatedConnection;
        this.sender = sender;
        this.topicsReady = topicsReady;
        this.settings = settings;
        MeterRegistry registry = meters == null ? new SimpleMeterRegistry() : meters;
        this.publishedCounter = Counter.builder("ordercqrs.outbox.published")
                .description("Outbox rows Kafka acknowledged").register(registry);
        this.failureCounter = Counter.builder("ordercqrs.outbox.publish.failures")
                .description("Times the relay could not reach Kafka and started over").register(registry);
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
        died = null;
        listener = new CommitListener(listenerConnections, signals::add, "outbox-listener-" + instance);
        listener.start();
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
                current.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CommitListener commits = listener;
        if (commits != null) {
            commits.close();
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

    @Override
    public RelayStatus status() {
        Thread current = thread;
        boolean alive = running && died == null && current != null && current.isAlive();
        String error = lastError;
        long waiting = oldestUnansweredSince;
        if (error == null && waiting != 0 && System.nanoTime() - waiting > SLOW_ACK_NANOS) {
            error = "Kafka has not acknowledged records for " + (System.nanoTime() - waiting) / 1_000_000_000 + " s";
        }
        return new RelayStatus(instance, alive, ownedSlots, members, published.get(), inFlight, blockedAggregates,
                lastPublishAt, error);
    }

    private void run() {
        try {
            loop();
        }
        catch (InterruptedException e) {
            if (running) {
                died = e;
                lastError = "The relay was interrupted";
            }
        }
        catch (Throwable e) {
            died = e;
            lastError = "The relay stopped: " + e;
            log.error("Outbox relay {} stopped on an error it cannot recover from", instance, e);
        }
        finally {
            try {
                settle();
            }
            catch (RuntimeException e) {
                log.debug("Could not record the last settled rows; they will be published again", e);
            }
            sender.close();
            ownership.close();
            ownedSlots = Set.of();
            log.info("Outbox relay {} stopped after publishing {} rows", instance, published.get());
        }
    }

    private void loop() throws InterruptedException {
        long backoff = settings.initialBackoff().toNanos();
        long nextRebalance = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now >= nextRebalance || ownedSlots.isEmpty()) {
                    // When another instance joined, what was sent is finished and the positions stored
                    // before slots go, so their next owner starts where this one stopped.
                    Set<Integer> slots = Set.copyOf(ownership.refresh(this::finishInFlight));
                    members = ownership.members();
                    nextRebalance = now + settings.rebalanceInterval().toNanos();
                    if (!slots.equals(ownedSlots)) {
                        // Start over on the new set without sending again what Kafka is acknowledging.
                        finishInFlight();
                        ownedSlots = slots;
                        reloadAll = true;
                    }
                }
                if (ownedSlots.isEmpty()) {
                    awaitSignal(settings.rebalanceInterval().toNanos());
                    continue;
                }
                if (reloadAll) {
                    startOver();
                }
                else if (reloadHeld) {
                    settle();
                    reloadHeld = false;
                    lanes.reload(entries.held(ownedSlots, HELD_LOAD_LIMIT));
                }
                handleSignals();
                readIfDue();
                settleIfDue();
                long wait = Math.min(nextRebalance - System.nanoTime(), nextWake());
                if (wait > 0) {
                    awaitSignal(wait);
                }
                backoff = settings.initialBackoff().toNanos();
            }
            catch (InterruptedException e) {
                throw e;
            }
            catch (RuntimeException | SQLException e) {
                if (!running) {
                    return;
                }
                boolean kafka = e instanceof KafkaUnavailable;
                failed(kafka ? "Outbox relay could not reach Kafka" : "Outbox relay could not reach PostgreSQL", e);
                if (kafka) {
                    failureCounter.increment();
                    try {
                        settle();
                    }
                    catch (RuntimeException notSettled) {
                        log.debug("Could not record the settled rows; they will be published again", notSettled);
                    }
                }
                else {
                    ownedSlots = Set.of();
                }
                sender.reset();
                reloadAll = true;
                dropState();
                TimeUnit.NANOSECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, settings.maxBackoff().toNanos());
            }
        }
    }

    /** Waits (at most the send timeout) for Kafka to answer everything in flight, then settles. */
    private void finishInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        while (lanes.inFlight() > 0 && System.nanoTime() < deadline) {
            awaitSignal(deadline - System.nanoTime());
        }
        settle();
    }

    /** Forgets everything in memory and reads the stored positions and held rows again. */
    private void startOver() {
        dropState();
        cursors.putAll(entries.positions(ownedSlots));
        for (int slot : ownedSlots) {
            cursors.putIfAbsent(slot, Position.START);
        }
        // After the positions: a row set aside is stored in the same transaction that moved past it.
        lanes.reload(entries.held(ownedSlots, HELD_LOAD_LIMIT));
        reloadAll = false;
        reloadHeld = false;
        readDue = true;
        lastSettleAt = System.nanoTime();
    }

    private void dropState() {
        generation++;
        lanes.clear();
        progress.clear();
        cursors.clear();
        lastReadPerSlot.clear();
        toHold.clear();
        toFail.clear();
        toRelease.clear();
        toMove.clear();
        inFlight = 0;
        oldestUnansweredSince = 0;
    }

    private void readIfDue() {
        long now = System.nanoTime();
        if (progress.open() >= maxOpen() || !(readDue || now >= nextReadAt)) {
            return;
        }
        if (!topicsSetUp) {
            topicsSetUp = topicsReady.getAsBoolean();
        }
        int perSlot = perSlotLimit();
        OutboxEntries.Read read = entries.read(cursors, perSlot);
        lastReadPerSlot.clear();
        for (OutboxEntry row : read.rows()) {
            cursors.put(row.slot(), row.position());
            lastReadPerSlot.merge(row.slot(), 1, Integer::sum);
            lanes.stream(row, progress.read(row.slot(), row.position()));
        }
        now = System.nanoTime();
        if (!read.rows().isEmpty()) {
            readDue = true;
            readBackoffNanos = TimeUnit.MILLISECONDS.toNanos(1);
        }
        else if (read.transactionsRunning()) {
            // Rows of a transaction that committed may wait behind an older one still running.
            readDue = false;
            nextReadAt = now + readBackoffNanos;
            readBackoffNanos = Math.min(readBackoffNanos * 2, settings.pollInterval().toNanos());
        }
        else {
            readDue = false;
            nextReadAt = now + settings.pollInterval().toNanos();
        }
        publishInFlightCount();
    }

    /** Slots that filled their share last time get a larger share of the next read. */
    private int perSlotLimit() {
        long full = lastReadPerSlot.values().stream().filter(count -> count >= lastPerSlot).count();
        int busy = lastReadPerSlot.isEmpty() ? ownedSlots.size() : (int) Math.max(1, full);
        lastPerSlot = Math.max(8, settings.batchSize() / busy);
        return lastPerSlot;
    }

    private int maxOpen() {
        return settings.batchSize() * 4;
    }

    private long nextWake() {
        long now = System.nanoTime();
        long wake = Long.MAX_VALUE;
        if (progress.open() < maxOpen()) {
            wake = readDue ? 0 : nextReadAt - now;
        }
        if (!toMove.isEmpty() || !toHold.isEmpty() || !toFail.isEmpty() || !toRelease.isEmpty()) {
            wake = Math.min(wake, lastSettleAt + SETTLE_EVERY_NANOS - now);
        }
        if (lanes.inFlight() > 0) {
            long since = lastAnswerAt == 0 ? now : lastAnswerAt;
            wake = Math.min(wake, since + settings.sendTimeout().toNanos() - now);
        }
        return wake;
    }

    private void awaitSignal(long nanos) throws InterruptedException {
        Object signal = signals.poll(nanos, TimeUnit.NANOSECONDS);
        if (signal != null) {
            handle(signal);
        }
    }

    private void handleSignals() {
        Object signal;
        while ((signal = signals.poll()) != null) {
            handle(signal);
        }
        if (lanes.inFlight() > 0 && lastAnswerAt != 0
                && System.nanoTime() - lastAnswerAt > settings.sendTimeout().toNanos()) {
            throw new KafkaUnavailable(new TimeoutException(
                    "Kafka did not answer within " + settings.sendTimeout()));
        }
    }

    private void handle(Object signal) {
        if (signal instanceof Answer answer) {
            if (answer.generation() != generation) {
                return;
            }
            lastAnswerAt = System.nanoTime();
            if (answer.failure() == null) {
                OutboxEntry entry = answer.item().entry;
                lanes.acknowledged(answer.item());
                recovered();
                published.incrementAndGet();
                publishedCounter.increment();
                lastPublishAt = Instant.now();
                publishLatency.record(Duration.between(entry.occurredAt(), lastPublishAt));
            }
            else {
                Throwable cause = KafkaUnavailable.unwrap(answer.failure());
                if (!RecordSender.isPermanent(cause)) {
                    throw new KafkaUnavailable(cause);
                }
                refuse(answer.item(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            publishInFlightCount();
        }
        else if (signal == CommitListener.Change.COMMITTED) {
            readDue = true;
            readBackoffNanos = TimeUnit.MILLISECONDS.toNanos(1);
        }
        else if (signal == CommitListener.Change.HELD_ROWS) {
            readDue = true;
            reloadHeld = true;
        }
    }

    private void refuse(AggregateLanes.Item item, String error) {
        log.error("Outbox row {} ({} #{} of {}) cannot be published and is set aside: {}", item.entry.id(),
                item.entry.eventType(), item.entry.sequence(), item.entry.aggregateId(), error);
        lanes.refused(item, error);
    }

    private void settleIfDue() {
        Map<Integer, Position> moved = progress.advance();
        toMove.putAll(moved);
        boolean pending = !toMove.isEmpty() || !toHold.isEmpty() || !toFail.isEmpty() || !toRelease.isEmpty();
        if (!pending) {
            return;
        }
        boolean idle = lanes.inFlight() == 0 && !readDue;
        if (idle || !toFail.isEmpty() || System.nanoTime() - lastSettleAt >= SETTLE_EVERY_NANOS) {
            settle();
        }
    }

    /** Stores what was settled: held and failed rows, released rows and the positions that moved. */
    private void settle() {
        toMove.putAll(progress.advance());
        OutboxEntries.Settled settled = new OutboxEntries.Settled(List.copyOf(toHold), Map.copyOf(toFail),
                List.copyOf(toRelease), Map.copyOf(toMove));
        if (!settled.isEmpty()) {
            entries.settle(settled);
            toHold.clear();
            toFail.clear();
            toRelease.clear();
            toMove.clear();
        }
        lastSettleAt = System.nanoTime();
        blockedAggregates = lanes.blocked();
    }

    // AggregateLanes.Effects, called on the relay thread.

    @Override
    public void send(AggregateLanes.Item item) {
        ProducerRecord<String, byte[]> record;
        try {
            record = sender.recordOf(item.entry);
        }
        catch (RecordSender.UnsendableRow e) {
            refuse(item, e.getMessage());
            return;
        }
        int sentIn = generation;
        try {
            sender.send(record, (metadata, failure) -> signals.add(new Answer(sentIn, item, failure)));
        }
        catch (KafkaUnavailable e) {
            throw e;
        }
        catch (RuntimeException e) {
            Throwable cause = KafkaUnavailable.unwrap(e);
            if (RecordSender.isPermanent(cause)) {
                refuse(item, cause.getClass().getSimpleName() + ": " + cause.getMessage());
                return;
            }
            throw new KafkaUnavailable(cause);
        }
        if (lanes.inFlight() == 1) {
            lastAnswerAt = System.nanoTime();
        }
    }

    @Override
    public void passed(AggregateLanes.Item item) {
        progress.done(item.mark);
    }

    @Override
    public void hold(AggregateLanes.Item item) {
        toHold.add(item.entry.id());
    }

    @Override
    public void fail(AggregateLanes.Item item, String error) {
        toFail.put(item.entry.id(), error);
    }

    @Override
    public void release(AggregateLanes.Item item) {
        toRelease.add(item.entry.id());
    }

    private void publishInFlightCount() {
        inFlight = lanes.inFlight();
        oldestUnansweredSince = inFlight == 0 ? 0 : lastAnswerAt;
    }

    private void failed(String what, Throwable e) {
        String message = e instanceof KafkaUnavailable ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!message.equals(lastError)) {
            log.warn("{}; backing off and starting over from the stored positions: {}", what, message);
        }
        lastError = message;
    }

    private void recovered() {
        if (lastError != null && died == null) {
            log.info("Outbox relay {} recovered", instance);
            lastError = null;
        }
    }
}

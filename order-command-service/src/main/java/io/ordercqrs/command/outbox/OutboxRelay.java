package io.ordercqrs.command.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public class OutboxRelay extends RelayThread {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int HELD_LOAD_LIMIT = 10_000;
    private static final long SETTLE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final OutboxEntries entries;
    private final SlotOwnership ownership;
    private final RecordSender sender;
    private final BooleanSupplier topicsReady;
    private final RelaySettings settings;
    private final Counter failureCounter;

    private volatile Set<Integer> ownedSlots = Set.of();
    private volatile int members;

    // Relay thread only.
    private final LaneSender lanes;
    private final SlotProgress progress = new SlotProgress();
    private final Map<Integer, Position> cursors = new HashMap<>();
    private final Map<Integer, Integer> lastReadPerSlot = new HashMap<>();
    private final Map<Integer, Position> toMove = new HashMap<>();
    private boolean reloadAll = true;
    private boolean reloadHeld;
    private boolean readDue = true;
    private long nextReadAt;
    private long readBackoffNanos;
    private int lastPerSlot = 8;
    private long lastSettleAt;
    private boolean topicsSetUp;

    OutboxRelay(OutboxEntries entries, SlotOwnership.ConnectionFactory dedicatedConnection, RecordSender sender,
            BooleanSupplier topicsReady, RelaySettings settings, MeterRegistry meters) {
        super(dedicatedConnection, "outbox-relay", Duration.ofSeconds(10));
        this.entries = entries;
        this.ownership = new SlotOwnership(dedicatedConnection, OutboxEntries.SLOTS, settings.lockNamespace());
        this.sender = sender;
        this.topicsReady = topicsReady;
        this.settings = settings;
        MeterRegistry registry = meters == null ? new SimpleMeterRegistry() : meters;
        this.lanes = new LaneSender(sender, signals::add, progress::done, settings.sendTimeout(), registry);
        this.failureCounter = Counter.builder("ordercqrs.outbox.publish.failures")
                .description("Times the relay could not reach Kafka and started over").register(registry);
    }

    @Override
    public RelayStatus status() {
        String error = lastError != null ? lastError : lanes.slowAcknowledgement();
        return new RelayStatus(instance, alive(), ownedSlots, members, lanes.published(), lanes.inFlightNow(),
                lanes.blockedNow(), lanes.lastPublishAt(), error);
    }

    @Override
    protected void abortWaits() {
        ownership.abort();
    }

    @Override
    protected void cleanUp() {
        try {
            settle();
        }
        catch (RuntimeException e) {
            log.debug("Could not record the last settled rows; they will be published again", e);
        }
        sender.close();
        ownership.close();
        ownedSlots = Set.of();
        log.info("Outbox relay {} stopped after publishing {} rows", instance, lanes.published());
    }

    @Override
    protected void loop() throws InterruptedException {
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
                lanes.checkAnswered();
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
        lanes.clear();
        progress.clear();
        cursors.clear();
        lastReadPerSlot.clear();
        toMove.clear();
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
        lanes.publishFigures();
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
        if (!toMove.isEmpty() || lanes.hasUnsettled()) {
            wake = Math.min(wake, lastSettleAt + SETTLE_EVERY_NANOS - now);
        }
        long deadline = lanes.answerDeadline();
        if (deadline != Long.MAX_VALUE) {
            wake = Math.min(wake, deadline - now);
        }
        return wake;
    }

    @Override
    protected void handle(Object signal) {
        if (signal instanceof LaneSender.Answer answer) {
            if (lanes.answer(answer)) {
                recovered();
            }
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

    private void settleIfDue() {
        Map<Integer, Position> moved = progress.advance();
        toMove.putAll(moved);
        boolean pending = !toMove.isEmpty() || lanes.hasUnsettled();
        if (!pending) {
            return;
        }
        boolean idle = lanes.inFlight() == 0 && !readDue;
        if (idle || lanes.hasFailed() || System.nanoTime() - lastSettleAt >= SETTLE_EVERY_NANOS) {
            settle();
        }
    }

    /** Stores what was settled: held and failed rows, released rows and the positions that moved. */
    private void settle() {
        toMove.putAll(progress.advance());
        OutboxEntries.Settled settled = lanes.unsettled(toMove);
        if (!settled.isEmpty()) {
            entries.settle(settled);
            lanes.stored();
            toMove.clear();
        }
        lastSettleAt = System.nanoTime();
        lanes.publishFigures();
        // Rows set aside that did not fit in the last load come next, once those loaded went.
        reloadHeld |= lanes.heldDrained();
    }
}

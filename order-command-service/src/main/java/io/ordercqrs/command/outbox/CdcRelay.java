package io.ordercqrs.command.outbox;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox from PostgreSQL's write-ahead log ({@code ordercqrs.outbox.relay.mode=cdc}):
 * the Debezium engine streams the committed outbox inserts from a logical replication slot, in
 * commit order, and this relay sends each as the polling {@link OutboxRelay} does, through a
 * {@link LaneSender} (so the same topic, key, value and headers). Nothing is written to the rows.
 *
 * <p>One instance at a time streams the slot (it holds an advisory lock; the others stand by and
 * take over within {@code rebalance-interval} once its session ends). A batch from the engine is
 * finished, and the engine's position in {@code outbox_cdc_offsets} moves past it, only once Kafka
 * acknowledged every row of it and of the batches before it, or the row was set aside: a crash
 * publishes again, never loses. A few batches are on their way at once ({@link #BATCHES_IN_FLIGHT}),
 * so the engine reads on while Kafka acknowledges; their rows keep their order through the lanes.
 * While Kafka is down the batch waits (the slot keeps the log), and it is sent again in order once
 * Kafka is back. A row Kafka refuses for good holds back only its aggregate, as with polling; ops
 * retry, discard and republish through {@code outbox_held} the same way.
 *
 * <p>Every {@code mark-interval} the streaming instance writes a mark into the log
 * ({@link CdcMarks}); once it comes back out, every row of the transactions older than it is on
 * Kafka, and all slots' positions move there, so the backlog, the rows' states and retention read
 * the same tables in both modes. The mark's snapshot is kept too: rows of transactions it saw as
 * ended count as published even where a transaction still running holds the positions back.
 */
public class CdcRelay extends RelayThread {

    private static final Logger log = LoggerFactory.getLogger(CdcRelay.class);
    private static final int HELD_LOAD_LIMIT = 10_000;
    private static final long SETTLE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LAG_FRESH_FOR_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Set<Integer> ALL_SLOTS = IntStream.range(0, OutboxEntries.SLOTS).boxed()
            .collect(Collectors.toUnmodifiableSet());
    private static final Object WAKE = new Object();
    /** Batches handed to the relay and not yet finished, at most, before the engine waits for the oldest. */
    static final int BATCHES_IN_FLIGHT = 3;

    private final OutboxEntries entries;
    private final CdcMarks marks;
    private final SlotOwnership leadership;
    private final RecordSender sender;
    private final BooleanSupplier topicsReady;
    private final RelaySettings settings;
    private final Properties engineConfig;
    private final Counter failureCounter;

    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile Throwable engineFailure;
    private volatile int members;
    private volatile CdcMarks.Lag lag = new CdcMarks.Lag(-1, 0);
    private volatile long lagReadAt;

    // Relay thread only.
    private final LaneSender lanes;
    /** Rows of each batch, under the batch's number: a batch is finished once its rows all passed. */
    private final SlotProgress progress = new SlotProgress();
    private final Deque<Batch> sending = new ArrayDeque<>();
    private boolean sendAgain;
    private long lastSettleAt;
    private long nextMarkAt;
    private long markOutstandingSince;
    private boolean topicsSetUp;

    /**
     * What the engine handed over at once; the engine stores its position past it once it is
     * {@link #done}.
     */
    private record Batch(int number, List<OutboxEntry> rows, CdcChange.Mark mark, CompletableFuture<Void> done) {
    }

    /** The engine stopped on its own: it is started again after a pause. */
    private static final class EngineStopped extends RuntimeException {

        EngineStopped(Throwable cause) {
            super("The change-data-capture engine stopped: " + cause.getMessage(), cause);
        }
    }

    CdcRelay(OutboxEntries entries, CdcMarks marks, SlotOwnership.ConnectionFactory dedicatedConnection,
            RecordSender sender, BooleanSupplier topicsReady, RelaySettings settings, Properties engineConfig,
            MeterRegistry meters) {
        super(dedicatedConnection, "outbox-cdc", Duration.ofSeconds(30));
        this.entries = entries;
        this.marks = marks;
        // One "slot" of ownership: the engine. Its keys come after the polling relay's two.
        this.leadership = new SlotOwnership(dedicatedConnection, 1, settings.lockNamespace() + 2);
        this.sender = sender;
        this.topicsReady = topicsReady;
        this.settings = settings;
        this.engineConfig = engineConfig;
        MeterRegistry registry = meters == null ? new SimpleMeterRegistry() : meters;
        this.lanes = new LaneSender(sender, signals::add, progress::done, settings.sendTimeout(), registry);
        this.failureCounter = Counter.builder("ordercqrs.outbox.publish.failures")
                .description("Times the relay could not reach Kafka and started over").register(registry);
        Gauge.builder("ordercqrs.outbox.cdc.lag.bytes", this, relay -> relay.lag().bytes()).baseUnit("bytes")
                .description("Write-ahead log the replication slot has not confirmed (-1 before it exists)")
                .register(registry);
        Gauge.builder("ordercqrs.outbox.cdc.lag", this, relay -> relay.lag().seconds()).baseUnit("seconds")
                .description("Age of the oldest mark not yet back out of the log").register(registry);
    }

    @Override
    public RelayStatus status() {
        boolean streaming = engine != null;
        String error = lastError != null ? lastError : lanes.slowAcknowledgement();
        return new RelayStatus(instance, alive() && engineFailure == null, streaming ? ALL_SLOTS : Set.of(), members, lanes.published(),
                lanes.inFlightNow(), lanes.blockedNow(), lanes.lastPublishAt(), error);
    }

    @Override
    public Map<String, Object> details() {
        CdcMarks.Lag now = lag();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "cdc");
        details.put("slot", settings.cdc().slotName());
        details.put("streaming", engine != null);
        details.put("lagBytes", now.bytes());
        details.put("lagSeconds", now.seconds());
        return details;
    }

    /** The slot's lag, read again when the last reading is older than a few seconds. */
    CdcMarks.Lag lag() {
        long now = System.nanoTime();
        if (lagReadAt == 0 || now - lagReadAt > LAG_FRESH_FOR_NANOS) {
            try {
                lag = marks.lag(settings.cdc().slotName());
            }
            catch (RuntimeException e) {
                log.debug("Could not read the replication slot's lag: {}", e.toString());
            }
            lagReadAt = now;
        }
        return lag;
    }

    @Override
    protected void abortWaits() {
        leadership.abort();
    }

    @Override
    protected void cleanUp() {
        // The stop may have interrupted this thread outside a wait; the engine then would not stop its
        // tasks gracefully and leave its streaming thread behind, so the flag waits until it stopped.
        boolean interrupted = Thread.interrupted();
        try {
            stopStreaming("the relay stops");
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        sender.close();
        leadership.close();
        log.info("Outbox relay {} (cdc) stopped after publishing {} rows", instance, lanes.published());
    }

    @Override
    protected void loop() throws InterruptedException {
        long backoff = settings.initialBackoff().toNanos();
        long nextRefresh = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now >= nextRefresh) {
                    boolean leads = !leadership.refresh(() -> {
                    }).isEmpty();
                    members = leadership.members();
                    nextRefresh = now + settings.rebalanceInterval().toNanos();
                    if (leads && engine == null) {
                        startStreaming();
                    }
                }
                if (engine == null) {
                    awaitSignal(nextRefresh - System.nanoTime());
                    continue;
                }
                if (engineFailure != null) {
                    throw new EngineStopped(engineFailure);
                }
                // Marks go on while Kafka fails: the oldest mark not back measures how far behind the relay is.
                markIfDue();
                if (sendAgain) {
                    sendAgain();
                }
                handleSignals();
                lanes.checkAnswered();
                finishSettledBatches();
                settleIfDue();
                long wait = Math.min(nextRefresh, nextWake()) - System.nanoTime();
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
                failed(e instanceof KafkaUnavailable ? "Outbox relay could not reach Kafka"
                        : "Outbox relay could not stream the outbox", e);
                if (e instanceof KafkaUnavailable) {
                    failureCounter.increment();
                    settleQuietly();
                    sender.reset();
                    dropLanes();
                    sendAgain = true;
                }
                else {
                    // PostgreSQL or the engine failed: give the slot up, so another instance may take it.
                    stopStreaming("the relay failed");
                    leadership.close();
                    nextRefresh = 0;
                }
                TimeUnit.NANOSECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, settings.maxBackoff().toNanos());
            }
        }
    }

    private void startStreaming() {
        dropLanes();
        lanes.reload(entries.held(ALL_SLOTS, HELD_LOAD_LIMIT));
        if (!topicsSetUp) {
            topicsSetUp = topicsReady.getAsBoolean();
        }
        engineFailure = null;
        AtomicReference<DebeziumEngine<RecordChangeEvent<SourceRecord>>> self = new AtomicReference<>();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> started = DebeziumEngine
                .create(ChangeEventFormat.of(Connect.class))
                .using(engineConfig)
                .notifying(new Handover()::handleBatch)
                .using((success, message, error) -> {
                    // Only an engine that stopped on its own counts; one this relay closed does not.
                    if (engine == self.get() && running) {
                        engineFailure = error != null ? error : new IllegalStateException(message);
                        signals.add(WAKE);
                    }
                })
                .build();
        self.set(started);
        engine = started;
        Thread streaming = new Thread(started, "outbox-cdc-engine-" + instance);
        streaming.setDaemon(true);
        streaming.start();
        lastSettleAt = System.nanoTime();
        nextMarkAt = lastSettleAt;
        markOutstandingSince = 0;
        log.info("Outbox relay {} streams the outbox from replication slot {}", instance, settings.cdc().slotName());
    }

    /** Stops the engine (it finishes nothing more) and forgets what was in flight. */
    private void stopStreaming(String why) {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> stopping = engine;
        engine = null;
        sending.forEach(batch -> batch.done().completeExceptionally(new IllegalStateException("Not finished: " + why)));
        sending.clear();
        Object waiting;
        while ((waiting = signals.poll()) != null) {
            if (waiting instanceof Batch batch) {
                batch.done().completeExceptionally(new IllegalStateException("Not finished: " + why));
            }
        }
        if (stopping != null) {
            try {
                stopping.close();
            }
            catch (IOException | RuntimeException e) {
                log.debug("The change-data-capture engine did not stop cleanly: {}", e.toString());
            }
        }
        settleQuietly();
        dropLanes();
        sender.reset();
    }

    /**
     * Hands the engine's batches to the relay thread, on the engine's thread (one per engine): a
     * batch is handed over at once, and the engine's position moves past the oldest batches once
     * they are finished. The engine waits only while {@link #BATCHES_IN_FLIGHT} batches are on
     * their way.
     */
    private final class Handover {

        private final Deque<Handed> handed = new ArrayDeque<>();
        private int numbered;

        private record Handed(Batch batch, List<RecordChangeEvent<SourceRecord>> records) {
        }

        /** Called by the engine with the changes read from the log, in commit order. */
        void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
            List<OutboxEntry> rows = new ArrayList<>();
            CdcChange.Mark mark = null;
            for (RecordChangeEvent<SourceRecord> record : records) {
                CdcChange change = CdcChange.of(record.record());
                if (change instanceof CdcChange.Row row) {
                    rows.add(row.entry());
                }
                else if (change instanceof CdcChange.Mark seen) {
                    mark = seen;
                }
            }
            Batch batch = new Batch(numbered++, rows, mark, new CompletableFuture<>());
            if (rows.isEmpty() && mark == null) {
                batch.done().complete(null);
            }
            else {
                signals.add(batch);
            }
            handed.add(new Handed(batch, records));
            boolean moved = false;
            while (!handed.isEmpty() && (handed.size() > BATCHES_IN_FLIGHT || handed.peek().batch().done().isDone())) {
                Handed oldest = handed.poll();
                try {
                    oldest.batch().done().get();
                }
                catch (ExecutionException e) {
                    throw new IllegalStateException("The batch was not published; the engine starts again from its "
                            + "stored position", e.getCause());
                }
                for (RecordChangeEvent<SourceRecord> record : oldest.records()) {
                    committer.markProcessed(record);
                }
                moved = true;
            }
            if (moved) {
                committer.markBatchFinished();
            }
        }
    }

    private void take(Batch batch) {
        sending.add(batch);
        stream(batch, batch.rows());
    }

    private void stream(Batch batch, List<OutboxEntry> rows) {
        for (OutboxEntry row : rows) {
            lanes.stream(row, progress.read(batch.number(), row.position()));
        }
        lanes.publishFigures();
    }

    /** After Kafka failed: the rows of the batches on their way go again, except those now set aside. */
    private void sendAgain() {
        sendAgain = false;
        OutboxEntries.Held held = entries.held(ALL_SLOTS, HELD_LOAD_LIMIT);
        lanes.reload(held);
        Set<Long> setAside = new HashSet<>();
        held.rows().forEach(row -> setAside.add(row.entry().id()));
        for (Batch batch : sending) {
            stream(batch, batch.rows().stream().filter(row -> !setAside.contains(row.id())).toList());
        }
    }

    /**
     * Once every row of the oldest batches was acknowledged or set aside, stores that and lets the
     * engine move past them.
     */
    private void finishSettledBatches() {
        if (sending.isEmpty()) {
            return;
        }
        progress.advance();
        List<Batch> finished = new ArrayList<>();
        while (!sending.isEmpty() && progress.passed(sending.peek().number())) {
            finished.add(sending.poll());
        }
        if (finished.isEmpty()) {
            return;
        }
        // Rows set aside are stored before the engine moves past them.
        settle(Map.of());
        recovered();
        CdcChange.Mark mark = null;
        for (Batch batch : finished) {
            batch.done().complete(null);
            mark = batch.mark() != null ? batch.mark() : mark;
        }
        if (mark != null) {
            // Every transaction older than the mark's horizon committed before it: all its rows are
            // acknowledged or set aside (stored above). The engine goes on meanwhile.
            Position upTo = new Position(mark.horizon() - 1, Long.MAX_VALUE);
            Map<Integer, Position> positions = new HashMap<>();
            ALL_SLOTS.forEach(slot -> positions.put(slot, upTo));
            settle(positions);
            marks.returned(mark.id());
            marks.forget(mark.id());
            markOutstandingSince = 0;
        }
    }

    private void markIfDue() {
        long now = System.nanoTime();
        long interval = settings.cdc().markInterval().toNanos();
        // One mark at a time; a mark that has not come back within ten intervals is written again.
        boolean waiting = markOutstandingSince != 0 && now - markOutstandingSince < interval * 10;
        if (now >= nextMarkAt && !waiting) {
            marks.mark();
            markOutstandingSince = now;
            nextMarkAt = now + interval;
        }
    }

    private long nextWake() {
        long now = System.nanoTime();
        long wake = markOutstandingSince == 0 ? nextMarkAt : Math.max(nextMarkAt, now + SETTLE_EVERY_NANOS);
        if (lanes.hasUnsettled()) {
            wake = Math.min(wake, lastSettleAt + SETTLE_EVERY_NANOS);
        }
        return Math.min(wake, lanes.answerDeadline());
    }

    @Override
    protected void handle(Object signal) {
        if (signal instanceof Batch batch) {
            if (engine == null) {
                batch.done().completeExceptionally(new IllegalStateException("The relay is not streaming"));
            }
            else {
                take(batch);
            }
        }
        else if (signal instanceof LaneSender.Answer answer) {
            if (lanes.answer(answer)) {
                recovered();
            }
        }
        else if (signal == CommitListener.Change.HELD_ROWS && engine != null) {
            reloadHeld();
        }
    }

    private void settleIfDue() {
        if (lanes.hasUnsettled() && (lanes.hasFailed() || System.nanoTime() - lastSettleAt >= SETTLE_EVERY_NANOS)) {
            if (lanes.heldDrained() && engine != null) {
                // Rows set aside that did not fit in the last load come next, once those loaded went.
                reloadHeld();
            }
            else {
                settle(Map.of());
            }
        }
    }

    /** Stores what was settled, then loads the rows set aside as they are now. */
    private void reloadHeld() {
        settle(Map.of());
        lanes.reload(entries.held(ALL_SLOTS, HELD_LOAD_LIMIT));
    }

    /** Stores the rows set aside, failed and released, and the positions given. */
    private void settle(Map<Integer, Position> positions) {
        OutboxEntries.Settled settled = lanes.unsettled(positions);
        if (!settled.isEmpty()) {
            entries.settle(settled);
            lanes.stored();
        }
        lastSettleAt = System.nanoTime();
    }

    private void settleQuietly() {
        try {
            settle(Map.of());
        }
        catch (RuntimeException e) {
            log.debug("Could not record the rows set aside; they are set aside again: {}", e.toString());
        }
    }

    private void dropLanes() {
        lanes.clear();
        progress.clear();
    }
}

package io.ordercqrs.command.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both relays do between finding rows and storing what became of them: each row goes into
 * its aggregate's lane ({@link AggregateLanes}), is sent through the {@link RecordSender}, and
 * Kafka's answer (queued as an {@link Answer} on the relay's signals) acknowledges it, refuses it
 * for good (it fails and holds its aggregate back) or, for any other failure, makes the relay start
 * over ({@link KafkaUnavailable}). It collects the rows to set aside, fail and release until the
 * relay stores them, and keeps the figures the relay reports. The relay thread alone calls it; the
 * figures may be read from any thread.
 */
final class LaneSender implements AggregateLanes.Effects {

    private static final Logger log = LoggerFactory.getLogger(LaneSender.class);
    private static final long SLOW_ACK_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** Kafka's answer to one record, for the relay thread. */
    record Answer(int generation, AggregateLanes.Item item, Exception failure) {
    }

    private final AggregateLanes lanes = new AggregateLanes(this);
    private final RecordSender sender;
    private final Consumer<Object> signals;
    private final Consumer<SlotProgress.Mark> passed;
    private final Duration sendTimeout;
    private final List<Long> toHold = new ArrayList<>();
    private final Map<Long, String> toFail = new LinkedHashMap<>();
    private final List<Long> toRelease = new ArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final Counter publishedCounter;
    private final Timer publishLatency;
    private int generation;
    private long lastAnswerAt;
    private volatile Instant lastPublishAt;
    private volatile int inFlight;
    private volatile int blocked;
    private volatile long oldestUnansweredSince;

    /**
     * @param signals where Kafka's answers go, to come back to {@link #answer(Answer)} on the relay thread
     * @param passed  told when a row read by the relay is settled (acknowledged, or set aside)
     */
    LaneSender(RecordSender sender, Consumer<Object> signals, Consumer<SlotProgress.Mark> passed,
            Duration sendTimeout, MeterRegistry registry) {
        this.sender = sender;
        this.signals = signals;
        this.passed = passed;
        this.sendTimeout = sendTimeout;
        this.publishedCounter = Counter.builder("ordercqrs.outbox.published")
                .description("Outbox rows Kafka acknowledged").register(registry);
        this.publishLatency = Timer.builder("ordercqrs.outbox.publish.latency")
                .description("From an event's commit to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** A row the relay read: sent now, queued behind its aggregate's row in flight, or held. */
    void stream(OutboxEntry row, SlotProgress.Mark mark) {
        lanes.stream(row, mark);
    }

    /** The rows set aside in {@code outbox_held} as they are now (see {@link AggregateLanes#reload}). */
    void reload(OutboxEntries.Held held) {
        lanes.reload(held);
        publishFigures();
    }

    /** Whether the rows set aside should be loaded again (see {@link AggregateLanes#heldDrained()}). */
    boolean heldDrained() {
        return lanes.heldDrained();
    }

    /**
     * Takes Kafka's answer to a record; one sent before the last {@link #clear()} is ignored.
     *
     * @return whether Kafka acknowledged the record
     * @throws KafkaUnavailable when Kafka failed it for a reason that is not the record's
     */
    boolean answer(Answer answer) {
        if (answer.generation() != generation) {
            return false;
        }
        lastAnswerAt = System.nanoTime();
        boolean acknowledged = answer.failure() == null;
        if (acknowledged) {
            OutboxEntry entry = answer.item().entry;
            lanes.acknowledged(answer.item());
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
        publishFigures();
        return acknowledged;
    }

    /** @throws KafkaUnavailable when records are in flight and Kafka answered nothing within the send timeout */
    void checkAnswered() {
        if (lanes.inFlight() > 0 && lastAnswerAt != 0 && System.nanoTime() - lastAnswerAt > sendTimeout.toNanos()) {
            throw new KafkaUnavailable(new TimeoutException("Kafka did not answer within " + sendTimeout));
        }
    }

    /** When {@link #checkAnswered()} fails if Kafka stays silent ({@link Long#MAX_VALUE} with nothing in flight). */
    long answerDeadline() {
        if (lanes.inFlight() == 0) {
            return Long.MAX_VALUE;
        }
        return (lastAnswerAt == 0 ? System.nanoTime() : lastAnswerAt) + sendTimeout.toNanos();
    }

    /** Rows to set aside, fail or release that are not stored yet. */
    boolean hasUnsettled() {
        return !toHold.isEmpty() || !toFail.isEmpty() || !toRelease.isEmpty();
    }

    /** A row failed since the last store (stored at once, so health shows it). */
    boolean hasFailed() {
        return !toFail.isEmpty();
    }

    /** What to store, with the given positions; call {@link #stored()} once it is. */
    OutboxEntries.Settled unsettled(Map<Integer, Position> positions) {
        return new OutboxEntries.Settled(List.copyOf(toHold), Map.copyOf(toFail), List.copyOf(toRelease),
                Map.copyOf(positions));
    }

    void stored() {
        toHold.clear();
        toFail.clear();
        toRelease.clear();
        publishFigures();
    }

    /** Forgets every lane and what was not stored; answers to records in flight will be ignored. */
    void clear() {
        generation++;
        lanes.clear();
        toHold.clear();
        toFail.clear();
        toRelease.clear();
        publishFigures();
    }

    int inFlight() {
        return lanes.inFlight();
    }

    long published() {
        return published.get();
    }

    Instant lastPublishAt() {
        return lastPublishAt;
    }

    /** Records in flight, as of the relay thread's last step. */
    int inFlightNow() {
        return inFlight;
    }

    /** Aggregates held back by a failed row, as of the last store. */
    int blockedNow() {
        return blocked;
    }

    /** Why Kafka seems unreachable while records wait for it, or {@code null}. */
    String slowAcknowledgement() {
        long waiting = oldestUnansweredSince;
        if (waiting != 0 && System.nanoTime() - waiting > SLOW_ACK_NANOS) {
            return "Kafka has not acknowledged records for " + (System.nanoTime() - waiting) / 1_000_000_000 + " s";
        }
        return null;
    }

    /** Brings the figures other threads read up to date. */
    void publishFigures() {
        inFlight = lanes.inFlight();
        oldestUnansweredSince = inFlight == 0 ? 0 : lastAnswerAt;
        blocked = lanes.blocked();
    }

    private void refuse(AggregateLanes.Item item, String error) {
        log.error("Outbox row {} ({} #{} of {}) cannot be published and is set aside: {}", item.entry.id(),
                item.entry.eventType(), item.entry.sequence(), item.entry.aggregateId(), error);
        lanes.refused(item, error);
    }

    // AggregateLanes.Effects

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
            sender.send(record, (metadata, failure) -> signals.accept(new Answer(sentIn, item, failure)));
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
        passed.accept(item.mark);
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
}

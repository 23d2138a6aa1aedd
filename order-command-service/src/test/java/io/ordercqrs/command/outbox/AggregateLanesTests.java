package io.ordercqrs.command.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-aggregate lanes: one row in flight per aggregate, and a refused row never overtaken. */
class AggregateLanesTests {

    final List<String> effects = new ArrayList<>();
    final List<AggregateLanes.Item> sent = new ArrayList<>();
    final SlotProgress progress = new SlotProgress();
    final AggregateLanes lanes = new AggregateLanes(new AggregateLanes.Effects() {
        @Override
        public void send(AggregateLanes.Item item) {
            sent.add(item);
            effects.add("send " + item.entry.id());
        }

        @Override
        public void passed(AggregateLanes.Item item) {
            progress.done(item.mark);
            effects.add("passed " + item.entry.id());
        }

        @Override
        public void hold(AggregateLanes.Item item) {
            effects.add("hold " + item.entry.id());
        }

        @Override
        public void fail(AggregateLanes.Item item, String error) {
            effects.add("fail " + item.entry.id());
        }

        @Override
        public void release(AggregateLanes.Item item) {
            effects.add("release " + item.entry.id());
        }
    });

    final UUID a = UUID.randomUUID();
    final UUID b = UUID.randomUUID();
    final UUID c = UUID.randomUUID();

    @Test
    void sendsAnAggregatesNextRowOnlyAfterKafkaAcknowledgedTheOneBefore() {
        stream(1, a);
        stream(2, b);
        stream(3, a);

        assertThat(effects).containsExactly("send 1", "send 2");
        lanes.acknowledged(sent.get(0));
        assertThat(effects).containsExactly("send 1", "send 2", "passed 1", "send 3");
        assertThat(lanes.inFlight()).isEqualTo(2);
    }

    @Test
    void holdsEverythingBehindARefusedRowAndSendsNothingOfItsAggregateAfterwards() {
        stream(1, a);
        stream(2, a);
        stream(3, b);
        lanes.refused(sent.get(0), "RecordTooLargeException");
        stream(4, a);

        assertThat(effects).containsExactly("send 1", "send 3", "fail 1", "passed 1", "hold 2", "passed 2",
                "hold 4", "passed 4");
        assertThat(lanes.blocked()).isEqualTo(1);
        assertThat(progress.open()).as("only row 3 is still in flight").isEqualTo(1);
    }

    @Test
    void sendsTheHeldRowsInOrderOnceOpsRetriedTheFailedOne() {
        stream(1, a);
        stream(2, a);
        lanes.refused(sent.get(0), "RecordTooLargeException");
        effects.clear();

        lanes.reload(loaded(held(1, a, false), held(2, a, false)));
        assertThat(effects).containsExactly("send 1");
        lanes.acknowledged(sent.get(sent.size() - 1));
        lanes.acknowledged(sent.get(sent.size() - 1));

        assertThat(effects).containsExactly("send 1", "release 1", "send 2", "release 2");
        assertThat(lanes.blocked()).isZero();
        assertThat(lanes.inFlight()).isZero();
    }

    @Test
    void unblocksAnAggregateWhoseFailedRowOpsDiscarded() {
        stream(1, a);
        lanes.refused(sent.get(0), "IllegalArgumentException");
        lanes.reload(loaded());
        effects.clear();

        stream(2, a);

        assertThat(effects).containsExactly("send 2");
    }

    @Test
    void keepsARowInFlightWhenRowsAreQueuedForPublishingAgain() {
        stream(5, a);
        lanes.reload(loaded(held(1, a, false), held(2, a, false)));
        lanes.acknowledged(sent.get(0));

        assertThat(effects).containsExactly("send 5", "passed 5", "send 1");
    }

    @Test
    void letsNoRowOvertakeRowsSetAsideThatDidNotFitInTheLoad() {
        lanes.reload(new OutboxEntries.Held(List.of(held(1, a, true), held(2, b, false)), Set.of(c)));
        effects.clear();

        stream(10, c);
        stream(11, c);

        assertThat(effects).as("held behind the rows not loaded").containsExactly("hold 10", "passed 10", "hold 11",
                "passed 11");
        assertThat(lanes.blocked()).as("a's failed row, and c waiting for its rows").isEqualTo(2);
    }

    @Test
    void asksForTheNextLoadOnceEveryLoadedRowToSendWent() {
        lanes.reload(new OutboxEntries.Held(List.of(held(1, a, true), held(2, b, false)), Set.of(c)));
        assertThat(lanes.heldDrained()).as("row 2 still to send").isFalse();

        lanes.acknowledged(sent.get(0));
        assertThat(lanes.heldDrained()).as("only a failed row left of the load").isTrue();

        lanes.reload(new OutboxEntries.Held(List.of(held(1, a, true), held(3, c, false)), Set.of()));
        assertThat(effects).contains("release 2", "send 3");
        assertThat(lanes.heldDrained()).as("nothing left out").isFalse();
    }

    @Test
    void waitsForOpsWhenTheLoadBroughtOnlyFailedRows() {
        lanes.reload(new OutboxEntries.Held(List.of(held(1, a, true)), Set.of(c)));

        assertThat(lanes.heldDrained()).as("loading again would bring the same failed rows").isFalse();
    }

    private void stream(long id, UUID aggregate) {
        OutboxEntry entry = entry(id, aggregate);
        lanes.stream(entry, progress.read(0, entry.position()));
    }

    private static OutboxEntries.Held loaded(OutboxEntries.HeldRow... rows) {
        return new OutboxEntries.Held(List.of(rows), Set.of());
    }

    private static OutboxEntries.HeldRow held(long id, UUID aggregate, boolean failed) {
        return new OutboxEntries.HeldRow(entry(id, aggregate), failed ? Instant.now() : null, null, 0);
    }

    private static OutboxEntry entry(long id, UUID aggregate) {
        return new OutboxEntry(id, 0, new Position(100 + id, id), UUID.randomUUID(), "order", aggregate, id,
                "order.placed", 2, "{}", "{}", Instant.now());
    }
}

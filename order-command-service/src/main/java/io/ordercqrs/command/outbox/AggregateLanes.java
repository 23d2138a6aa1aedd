package io.ordercqrs.command.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One lane per aggregate with rows on their way to Kafka: an aggregate's next row is sent only
 * once Kafka acknowledged the one before, so a row refused for good is never overtaken by a later
 * row of its aggregate, while rows of different aggregates travel side by side. A refused row
 * blocks its lane: it and the rows behind it are set aside (held) until ops retry or discard it.
 * Not thread-safe: the relay thread alone uses it.
 */
final class AggregateLanes {

    /** What the lanes ask the relay to do. */
    interface Effects {

        /** Send the row to Kafka now. */
        void send(Item item);

        /** The row passed its slot's position; it is settled (acknowledged, or set aside as held). */
        void passed(Item item);

        /** Keep the row in {@code outbox_held}: it waits behind a failed row. */
        void hold(Item item);

        /** Record the row as failed in {@code outbox_held}. */
        void fail(Item item, String error);

        /** A held row was acknowledged: take it out of {@code outbox_held}. */
        void release(Item item);
    }

    /** One row in a lane. */
    static final class Item {

        final OutboxEntry entry;
        /** Its place in its slot's progress, or {@code null} for a row read from {@code outbox_held}. */
        final SlotProgress.Mark mark;
        boolean held;
        boolean failed;
        boolean inFlight;

        Item(OutboxEntry entry, SlotProgress.Mark mark, boolean held, boolean failed) {
            this.entry = entry;
            this.mark = mark;
            this.held = held;
            this.failed = failed;
        }

        @Override
        public String toString() {
            return "row " + entry.id() + " (" + entry.aggregateId() + " #" + entry.sequence() + ")";
        }
    }

    private static final class Lane {

        final ArrayDeque<Item> items = new ArrayDeque<>(2);
        /** The head failed: nothing of this aggregate moves until ops retry or discard it. */
        boolean blocked;
    }

    private final Map<UUID, Lane> lanes = new HashMap<>();
    private final Effects effects;
    private int inFlight;
    private int blocked;
    /** The last load of the rows set aside left aggregates out. */
    private boolean loadedBeyondLimit;
    /** The last load brought rows to send (not only failed ones). */
    private boolean loadedToSend;

    AggregateLanes(Effects effects) {
        this.effects = effects;
    }

    /** A row read from its slot: sent now, queued behind its aggregate's row in flight, or held. */
    void stream(OutboxEntry entry, SlotProgress.Mark mark) {
        Item item = new Item(entry, mark, false, false);
        Lane lane = lanes.get(entry.aggregateId());
        if (lane == null) {
            lane = new Lane();
            lanes.put(entry.aggregateId(), lane);
            lane.items.add(item);
            send(item);
        }
        else if (lane.blocked) {
            hold(item);
        }
        else {
            lane.items.add(item);
        }
    }

    /** Kafka acknowledged the row: the next of its aggregate goes. */
    void acknowledged(Item item) {
        Lane lane = headOf(item);
        lane.items.poll();
        item.inFlight = false;
        inFlight--;
        if (item.held) {
            effects.release(item);
        }
        else {
            effects.passed(item);
        }
        Item next = lane.items.peek();
        if (next == null) {
            lanes.remove(item.entry.aggregateId());
        }
        else {
            send(next);
        }
    }

    /** The row was refused for good: it fails, and the rows queued behind it are held. */
    void refused(Item item, String error) {
        Lane lane = headOf(item);
        item.inFlight = false;
        inFlight--;
        failHead(lane, item, error);
    }

    /**
     * A row could not even be turned into a record: it fails where it stands, as if Kafka had
     * refused it, without being sent.
     */
    private void failHead(Lane lane, Item item, String error) {
        block(lane);
        item.failed = true;
        boolean wasHeld = item.held;
        item.held = true;
        effects.fail(item, error);
        if (!wasHeld) {
            effects.passed(item);
        }
        lane.items.poll();
        for (Item waiting : lane.items) {
            if (!waiting.held) {
                hold(waiting);
            }
        }
        lane.items.clear();
        lane.items.add(item);
    }

    /**
     * The rows set aside in {@code outbox_held} as they are now (after ops retried, discarded or
     * queued rows for publishing again). Lanes with a row in flight keep it; rows new to a lane
     * follow its row in flight in id order; blocked lanes take the stored state as it is. The
     * aggregates whose rows did not fit in the load are blocked with nothing to send: what the
     * relay reads of them is set aside behind the rows not loaded, until a later load brings those.
     */
    void reload(OutboxEntries.Held held) {
        Map<UUID, List<OutboxEntries.HeldRow>> byAggregate = new LinkedHashMap<>();
        for (OutboxEntries.HeldRow row : held.rows()) {
            byAggregate.computeIfAbsent(row.entry().aggregateId(), ignored -> new ArrayList<>()).add(row);
        }
        for (var lane = lanes.entrySet().iterator(); lane.hasNext(); ) {
            var next = lane.next();
            if (next.getValue().blocked && !byAggregate.containsKey(next.getKey())
                    && !held.beyond().contains(next.getKey())) {
                lane.remove();
                blocked--;
            }
        }
        for (UUID aggregate : held.beyond()) {
            lanes.computeIfAbsent(aggregate, waiting -> {
                Lane lane = new Lane();
                block(lane);
                return lane;
            });
        }
        loadedBeyondLimit = !held.beyond().isEmpty();
        loadedToSend = held.rows().stream().anyMatch(row -> row.failedAt() == null);
        byAggregate.forEach((aggregate, stored) -> {
            Lane lane = lanes.get(aggregate);
            if (lane == null || lane.blocked) {
                if (lane != null) {
                    blocked--;
                }
                lane = new Lane();
                lanes.put(aggregate, lane);
                for (OutboxEntries.HeldRow row : stored) {
                    lane.items.add(new Item(row.entry(), null, true, row.failedAt() != null));
                }
                start(lane);
                return;
            }
            Set<Long> known = new HashSet<>();
            lane.items.forEach(item -> known.add(item.entry.id()));
            Item head = lane.items.poll();
            List<Item> rest = new ArrayList<>(lane.items);
            lane.items.clear();
            lane.items.add(head);
            for (OutboxEntries.HeldRow row : stored) {
                if (!known.contains(row.entry().id())) {
                    lane.items.add(new Item(row.entry(), null, true, row.failedAt() != null));
                }
            }
            lane.items.addAll(rest);
        });
    }

    /**
     * Whether the rows set aside should be loaded again: the last load left aggregates out, and
     * every row it loaded to send went. Loads that brought only failed rows wait for ops instead.
     */
    boolean heldDrained() {
        return loadedBeyondLimit && loadedToSend && lanes.values().stream()
                .noneMatch(lane -> lane.items.stream().anyMatch(item -> item.held && !item.failed));
    }

    /** Rows sent and not yet answered. */
    int inFlight() {
        return inFlight;
    }

    /** Aggregates blocked by a failed row, or waiting for rows set aside that were not loaded yet. */
    int blocked() {
        return blocked;
    }

    /** Forgets everything; answers from Kafka for what was in flight must then be ignored. */
    void clear() {
        lanes.clear();
        inFlight = 0;
        blocked = 0;
        loadedBeyondLimit = false;
        loadedToSend = false;
    }

    /** Sends the head of a lane that was just filled, or blocks the lane if its head failed. */
    private void start(Lane lane) {
        Item head = lane.items.peek();
        if (head.failed) {
            block(lane);
        }
        else {
            send(head);
        }
    }

    /** Sends an item; one that cannot be turned into a record fails on the spot. */
    private void send(Item item) {
        item.inFlight = true;
        inFlight++;
        effects.send(item);
    }

    /**
     * Fails an item that was about to be sent and could not be turned into a record. Called by the
     * relay from within {@link Effects#send(Item)}.
     */
    void unsendable(Item item, String error) {
        refused(item, error);
    }

    private void block(Lane lane) {
        if (!lane.blocked) {
            lane.blocked = true;
            blocked++;
        }
    }

    private void hold(Item item) {
        item.held = true;
        effects.hold(item);
        if (item.mark != null) {
            effects.passed(item);
        }
    }

    private Lane headOf(Item item) {
        Lane lane = lanes.get(item.entry.aggregateId());
        if (lane == null || lane.items.peek() != item) {
            throw new IllegalStateException(item + " is not in flight");
        }
        return lane;
    }
}

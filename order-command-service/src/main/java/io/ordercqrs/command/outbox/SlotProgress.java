package io.ordercqrs.command.outbox;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * How far each slot is done: rows are added in the order they were read (each slot's own order)
 * and finish in any order; a slot's position may move past a row only when it and every row before
 * it are done. Not thread-safe: the relay thread alone uses it.
 */
final class SlotProgress {

    /** One row read and not yet passed. */
    static final class Mark {

        private final Position position;
        private boolean done;

        private Mark(Position position) {
            this.position = position;
        }

        Position position() {
            return position;
        }
    }

    private final Map<Integer, ArrayDeque<Mark>> slots = new HashMap<>();
    private int open;

    /** A row was read; answers its mark, to be handed back to {@link #done(Mark)}. */
    Mark read(int slot, Position position) {
        Mark mark = new Mark(position);
        slots.computeIfAbsent(slot, ignored -> new ArrayDeque<>()).add(mark);
        open++;
        return mark;
    }

    /** The row is acknowledged or set aside. */
    void done(Mark mark) {
        if (!mark.done) {
            mark.done = true;
            open--;
        }
    }

    /**
     * Forgets the finished prefix of every slot; answers, per slot that moved, the position of the
     * last row of that prefix.
     */
    Map<Integer, Position> advance() {
        Map<Integer, Position> moved = new HashMap<>();
        slots.forEach((slot, marks) -> {
            Position last = null;
            while (!marks.isEmpty() && marks.peek().done) {
                last = marks.poll().position;
            }
            if (last != null) {
                moved.put(slot, last);
            }
        });
        slots.values().removeIf(ArrayDeque::isEmpty);
        return moved;
    }

    /** Rows read and not yet done. */
    int open() {
        return open;
    }

    /** Whether every row read for {@code slot} is done and passed by {@link #advance()}. */
    boolean passed(int slot) {
        return !slots.containsKey(slot);
    }

    void clear() {
        slots.clear();
        open = 0;
    }
}

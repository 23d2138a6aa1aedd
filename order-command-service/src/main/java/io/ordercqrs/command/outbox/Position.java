package io.ordercqrs.command.outbox;

/**
 * A place in one slot's stream of outbox rows: rows are read in the order of the transaction that
 * wrote them, then of their id.
 *
 * @param txid the writing transaction's id (PostgreSQL {@code xid8})
 * @param id   the row's id
 */
public record Position(long txid, long id) implements Comparable<Position> {

    /** Before every row. */
    public static final Position START = new Position(0, 0);

    @Override
    public int compareTo(Position other) {
        int byTransaction = Long.compareUnsigned(txid, other.txid);
        return byTransaction != 0 ? byTransaction : Long.compare(id, other.id);
    }

    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }
}

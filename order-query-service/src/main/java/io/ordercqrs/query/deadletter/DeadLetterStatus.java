package io.ordercqrs.query.deadletter;

/** Where a dead letter stands. */
public enum DeadLetterStatus {
    /** Applying it failed for good; its aggregate's later events wait behind it. */
    PARKED,
    /** It was never tried: an earlier event of its aggregate is parked, and it must not overtake it. */
    HELD,
    /** Applied after all, by a retry. */
    RESOLVED,
    /** Given up on by ops, with a reason. */
    DISCARDED,
    /** Closed with its generation, which was dropped before ops dealt with it. */
    DROPPED;

    /** Whether it still blocks its aggregate's later events. */
    public boolean isOpen() {
        return this == PARKED || this == HELD;
    }
}

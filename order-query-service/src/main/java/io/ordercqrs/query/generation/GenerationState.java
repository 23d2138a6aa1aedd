package io.ordercqrs.query.generation;

/** Where a view generation stands. */
public enum GenerationState {
    /** Being filled from the earliest offsets by every instance; queries do not see it yet. */
    BUILDING,
    /** Caught up, but records were skipped (parked as its dead letters): it switches only when ops ask. */
    READY,
    /** Decided: it takes the active one's place (the switch is being completed). */
    SWITCHING,
    /** The generation every instance serves. */
    ACTIVE,
    /** Replaced by a newer one; it keeps consuming for a grace period, for instances still reading it. */
    RETIRING,
    /** Replaced and dropped (its collections and consumer group are removed). */
    RETIRED,
    /** Stopped on request before it switched; its collections and consumer group are removed. */
    CANCELLED,
    /** Given up on: abandoned or unusable; its collections and consumer group are removed. */
    FAILED;

    /** Whether instances consume for it. */
    public boolean consumed() {
        return this == BUILDING || this == READY || this == SWITCHING || this == ACTIVE || this == RETIRING;
    }

    /** Whether it is a rebuild still under way (it may yet switch or be cancelled). */
    public boolean rebuilding() {
        return this == BUILDING || this == READY || this == SWITCHING;
    }

    /** Whether it is over and its views are (to be) dropped. */
    public boolean ended() {
        return this == RETIRED || this == CANCELLED || this == FAILED;
    }
}

package io.ordercqrs.query.projection;

/** Where an event's sequence stands against the version a view has of its aggregate. */
enum SequenceCheck {
    /** Already applied (sequence at or below the version): applying it again must change nothing. */
    DUPLICATE,
    /** The very next one: apply it. */
    NEXT,
    /** Events are missing in between: never applied over the gap. */
    GAP;

    static SequenceCheck of(long version, long sequence) {
        if (sequence <= version) {
            return DUPLICATE;
        }
        return sequence == version + 1 ? NEXT : GAP;
    }
}

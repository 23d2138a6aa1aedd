package io.ordercqrs.query.projection;

/** How the records of a batch reach the projection. */
public enum Delivery {

    /**
     * In partition order, as a consumer group reads them: live consumption, a generation being
     * built. Records of an aggregate with an open dead letter are held behind it. A record is seldom
     * delivered twice, so a document its aggregate's first event creates is not looked for first.
     */
    IN_ORDER,

    /**
     * In partition order, read again by ops (topic replays): held behind open dead letters like
     * {@link #IN_ORDER}, but most records are in the views already, so every document is read first.
     */
    REPLAYED,

    /** Out of partition order: dead letters being retried, history from the command side. Nothing is held. */
    LATE;

    /** Whether the records come in partition order, so their offsets say what they follow. */
    boolean inPartitionOrder() {
        return this != LATE;
    }
}

package io.ordercqrs.query.projection;

/** How the records of a batch reach the projection. */
public enum Delivery {

    /**
     * In partition order: live consumption, a generation being built, topic replays. Records of an
     * aggregate with an open dead letter are held behind it.
     */
    IN_ORDER,

    /** Out of partition order: dead letters being retried, history from the command side. Nothing is held. */
    LATE
}

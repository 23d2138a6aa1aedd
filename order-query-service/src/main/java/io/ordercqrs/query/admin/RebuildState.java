package io.ordercqrs.query.admin;

/** Where a view rebuild stands. */
public enum RebuildState {
    /** Filling the fresh copy from the topics. */
    RUNNING,
    /** Caught up: the live consumers are paused while the copy drains to the end and takes over. */
    SWITCHING,
    /** The copy is live. */
    DONE,
    /** Stopped on request; the live views are as they were. */
    CANCELLED,
    /** Stopped by an error; the live views are as they were. */
    FAILED;

    public boolean running() {
        return this == RUNNING || this == SWITCHING;
    }
}

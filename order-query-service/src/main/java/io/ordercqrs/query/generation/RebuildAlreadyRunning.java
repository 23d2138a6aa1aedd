package io.ordercqrs.query.generation;

/** Only one rebuild runs at a time, across all instances. */
public class RebuildAlreadyRunning extends RuntimeException {

    RebuildAlreadyRunning(long generation) {
        super("A rebuild (generation " + generation + ") is under way; wait for it or cancel it first");
    }
}

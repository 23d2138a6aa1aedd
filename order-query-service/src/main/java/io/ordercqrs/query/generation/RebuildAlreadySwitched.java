package io.ordercqrs.query.generation;

/** The rebuild switched in already (or is switching), so it can no longer be cancelled or switched. */
public class RebuildAlreadySwitched extends RuntimeException {

    private final long generation;
    private final GenerationState state;

    RebuildAlreadySwitched(long generation, GenerationState state) {
        super("Generation " + generation + " is " + state + ": it switched in already; start a new rebuild instead");
        this.generation = generation;
        this.state = state;
    }

    public long generation() {
        return generation;
    }

    public GenerationState state() {
        return state;
    }
}

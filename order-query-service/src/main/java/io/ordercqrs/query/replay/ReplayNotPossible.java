package io.ordercqrs.query.replay;

/** The chosen source cannot re-derive the view: it lacks events, or is behind the view. */
public class ReplayNotPossible extends RuntimeException {

    public ReplayNotPossible(String message) {
        super(message);
    }
}

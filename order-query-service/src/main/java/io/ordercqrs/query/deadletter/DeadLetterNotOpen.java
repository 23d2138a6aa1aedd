package io.ordercqrs.query.deadletter;

/** The dead letter was already resolved or discarded. */
public class DeadLetterNotOpen extends RuntimeException {

    public DeadLetterNotOpen(String id, DeadLetterStatus status) {
        super("Dead letter " + id + " is " + status + ", not open");
    }
}

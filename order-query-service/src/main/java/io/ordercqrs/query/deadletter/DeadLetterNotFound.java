package io.ordercqrs.query.deadletter;

/** No dead letter of that id. */
public class DeadLetterNotFound extends RuntimeException {

    public DeadLetterNotFound(String id) {
        super("No dead letter " + id);
    }
}

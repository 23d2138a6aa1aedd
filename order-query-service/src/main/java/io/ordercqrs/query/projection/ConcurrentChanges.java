package io.ordercqrs.query.projection;

/**
 * The views kept being changed by other writers while a batch was applied. Nothing is wrong with
 * the records: the batch is retried with backoff, never parked.
 */
public class ConcurrentChanges extends BatchFailure {

    public ConcurrentChanges(String what, int attempts) {
        super(what + " kept changing concurrently; gave up after " + attempts + " attempts");
    }
}

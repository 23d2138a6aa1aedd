package io.ordercqrs.query.projection;

/**
 * A failure that is not about one record: the store is down, the views keep changing under the
 * batch, or deriving data from views already written failed. The whole batch is retried with
 * backoff for as long as it takes; no record is parked for it.
 */
public abstract class BatchFailure extends RuntimeException {

    protected BatchFailure(String message, Throwable cause) {
        super(message, cause);
    }

    protected BatchFailure(String message) {
        super(message);
    }
}

package io.ordercqrs.query.projection;

/** The view store failed: nothing is wrong with the records, so they are retried until it is back. */
public class ViewStoreUnavailable extends RuntimeException {

    ViewStoreUnavailable(Throwable cause) {
        super("The view store failed: " + cause.getMessage(), cause);
    }
}

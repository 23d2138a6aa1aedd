package io.ordercqrs.query.orderview;

/** This instance already has as many queries waiting for a version as it allows. */
public class TooManyWaiting extends RuntimeException {

    TooManyWaiting(int limit) {
        super("Too many queries are waiting for a version on this instance (" + limit + "); try again shortly");
    }
}

package io.ordercqrs.query.orderstream;

/** A caller, or the instance, holds as many order streams as allowed. */
class TooManyStreams extends RuntimeException {

    private final int limit;

    TooManyStreams(String message, int limit) {
        super(message);
        this.limit = limit;
    }

    int limit() {
        return limit;
    }
}

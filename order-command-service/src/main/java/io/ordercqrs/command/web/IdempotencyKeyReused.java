package io.ordercqrs.command.web;

/** An {@code Idempotency-Key} came back with a different request than the one it first answered. */
public class IdempotencyKeyReused extends RuntimeException {

    public IdempotencyKeyReused(String key) {
        super("Idempotency-Key '" + key + "' was used for a different request; use a new key for a new request");
    }
}

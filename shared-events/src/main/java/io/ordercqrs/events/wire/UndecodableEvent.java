package io.ordercqrs.events.wire;

/**
 * An event that cannot be turned into a record. Consumers must not skip it silently: retrying it
 * will not help, so it belongs in a dead-letter store with its raw bytes.
 */
public abstract sealed class UndecodableEvent extends RuntimeException
        permits UnknownEventType, UnsupportedSchemaVersion, MalformedEvent {

    protected UndecodableEvent(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.ordercqrs.events.wire;

/** The record's headers or JSON payload do not form a valid event; the message says what is wrong. */
public final class MalformedEvent extends UndecodableEvent {

    public MalformedEvent(String message) {
        super(message, null);
    }

    public MalformedEvent(String message, Throwable cause) {
        super(message, cause);
    }
}

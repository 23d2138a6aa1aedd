package io.ordercqrs.events.wire;

/** The record's {@code ce_type} names no event type of this contract. */
public final class UnknownEventType extends UndecodableEvent {

    private final String type;

    public UnknownEventType(String type) {
        super("Unknown event type '" + type + "'", null);
        this.type = type;
    }

    public String type() {
        return type;
    }
}

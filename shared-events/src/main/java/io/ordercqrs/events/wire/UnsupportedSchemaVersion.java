package io.ordercqrs.events.wire;

/**
 * The event was written with a schema version this build does not know yet, typically because the
 * producer was upgraded before this consumer.
 */
public final class UnsupportedSchemaVersion extends UndecodableEvent {

    public UnsupportedSchemaVersion(String type, int version, int newestKnown) {
        super("Event type '" + type + "' has schema version " + version + " but this build reads up to version "
                + newestKnown, null);
    }
}

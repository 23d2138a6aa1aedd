package io.ordercqrs.events.wire;

import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the JSON of one event type from schema version {@link #fromVersion()} into version
 * {@code fromVersion() + 1}. Upcasters chain, so an event of any older version can be read as the
 * current record; old events on a topic stay readable forever.
 */
public interface Upcaster {

    /** Wire name of the event type this upcaster reads. */
    String eventType();

    /** The schema version this upcaster reads; it produces the next one. */
    int fromVersion();

    /** Returns the payload in version {@code fromVersion() + 1}; may modify and return its argument. */
    ObjectNode upcast(ObjectNode payload);
}

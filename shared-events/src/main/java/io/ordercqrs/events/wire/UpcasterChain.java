package io.ordercqrs.events.wire;

import io.ordercqrs.events.EventType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Brings a payload of any known schema version up to its type's current version, one step at a time. */
final class UpcasterChain {

    private final Map<String, Upcaster> byTypeAndVersion = new HashMap<>();

    UpcasterChain(List<Upcaster> upcasters) {
        for (Upcaster upcaster : upcasters) {
            Upcaster previous = byTypeAndVersion.put(key(upcaster.eventType(), upcaster.fromVersion()), upcaster);
            if (previous != null) {
                throw new IllegalArgumentException("Two upcasters read " + upcaster.eventType() + " v"
                        + upcaster.fromVersion());
            }
        }
        for (EventType type : EventType.values()) {
            for (int version = 1; version < type.schemaVersion(); version++) {
                if (!byTypeAndVersion.containsKey(key(type.wireName(), version))) {
                    throw new IllegalStateException("No upcaster reads " + type.wireName() + " v" + version
                            + ", so such events could not be read");
                }
            }
        }
    }

    static List<Upcaster> builtIn() {
        return List.of(new OrderPlacedV1Upcaster());
    }

    ObjectNode upcast(EventType type, int fromVersion, ObjectNode payload) {
        ObjectNode current = payload;
        for (int version = fromVersion; version < type.schemaVersion(); version++) {
            current = byTypeAndVersion.get(key(type.wireName(), version)).upcast(current);
        }
        return current;
    }

    private static String key(String type, int version) {
        return type + "@" + version;
    }
}

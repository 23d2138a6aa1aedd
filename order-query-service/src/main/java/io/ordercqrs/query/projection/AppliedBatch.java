package io.ordercqrs.query.projection;

import io.ordercqrs.events.DomainEvent;
import java.util.List;
import java.util.Map;

/**
 * A batch as written: every event of it that was not held or stopped by a failure, duplicates
 * included, and the documents it touched as they now stand. What {@link AfterWrite} steps derive
 * their data from.
 */
public final class AppliedBatch {

    private final ViewSet views;
    private final List<Applied> events;
    private final Map<Class<?>, Map<String, ?>> documents;
    private final Map<Class<?>, Map<String, ?>> stored;

    AppliedBatch(ViewSet views, List<Applied> events, Map<Class<?>, Map<String, ?>> documents,
            Map<Class<?>, Map<String, ?>> stored) {
        this.views = views;
        this.events = List.copyOf(events);
        this.documents = Map.copyOf(documents);
        this.stored = Map.copyOf(stored);
    }

    /**
     * One event of the batch.
     *
     * @param event     the event
     * @param origin    where it was read
     * @param duplicate whether the views had it already
     */
    public record Applied(DomainEvent event, Origin origin, boolean duplicate) {
    }

    public ViewSet views() {
        return views;
    }

    public List<Applied> events() {
        return events;
    }

    /** The documents of type {@code type} the batch touched, as written (or as found, if unchanged), by id. */
    @SuppressWarnings("unchecked")
    public <V> Map<String, V> documents(Class<V> type) {
        return (Map<String, V>) documents.getOrDefault(type, Map.of());
    }

    /** The same documents as they were read before the batch changed them; absent for new ones. */
    @SuppressWarnings("unchecked")
    public <V> Map<String, V> stored(Class<V> type) {
        return (Map<String, V>) stored.getOrDefault(type, Map.of());
    }
}

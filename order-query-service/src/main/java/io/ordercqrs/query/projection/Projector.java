package io.ordercqrs.query.projection;

import io.ordercqrs.events.DomainEvent;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Folds events into the documents of one view, one document per aggregate, with an
 * {@code on(...)} handler per event type. {@link EventProjection} runs every projector bean over
 * each batch, in their {@code @Order}, checks each event's sequence against the document's
 * version before handing it over, and writes each changed document once per batch, guarded by
 * its revision.
 *
 * @param <V> the view's document type
 */
public interface Projector<V> {

    /** The view's name; each generation's collection adds its suffix (see {@link ViewSet}). */
    String view();

    Class<V> documentType();

    /** The id of the document {@code event} changes, or {@code null} when this view does not follow it. */
    @Nullable String documentId(DomainEvent event);

    /** The id of {@code document}. */
    String id(V document);

    /** The sequence of the last event applied to {@code document}. */
    long version(V document);

    /**
     * The document after {@code event}, which is the next one for it.
     *
     * @param current the document so far, {@code null} before the aggregate's first event
     * @param origin  where the event was read
     * @param traceId the trace of the request that caused the event, {@code null} if it carried none
     */
    V apply(@Nullable V current, DomainEvent event, Origin origin, @Nullable String traceId);

    /**
     * Last touches before the batch's documents are written, such as details joined from a view
     * written earlier in the batch. Runs on every document the batch touched, duplicates included.
     *
     * @param documents the documents as folded, by id
     * @param stored    the same documents as they were read, by id; absent for new ones
     * @return the documents to write, by id
     */
    default Map<String, V> complete(Map<String, V> documents, Map<String, V> stored, ViewSet views) {
        return documents;
    }

    /** Prepares a new set of views for this view, such as its indexes. Idempotent. */
    default void prepare(ViewSet views) {
    }

    /** The write counter guarding conditional writes of {@code document}. */
    long revision(V document);

    V withRevision(V document, long revision);
}

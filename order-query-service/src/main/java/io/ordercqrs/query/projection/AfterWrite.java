package io.ordercqrs.query.projection;

import java.util.List;

/**
 * Brings data derived from a batch's documents up to date (customer details joined into other
 * views, summaries), after the documents are written. It runs on every attempt of a batch and for
 * every key the batch touched, duplicates included, and must be idempotent: a re-run repairs
 * whatever an earlier attempt left half done. Its cost per event must not grow with the data
 * already projected. Beans run in their {@code @Order}.
 */
public interface AfterWrite {

    void refresh(AppliedBatch batch);

    /** The views (by name, without a generation's suffix) this step writes, beside the projectors' own. */
    default List<String> views() {
        return List.of();
    }
}

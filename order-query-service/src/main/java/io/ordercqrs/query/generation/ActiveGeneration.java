package io.ordercqrs.query.generation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;

/**
 * The one small document that names the generation every instance serves. Switching generations is
 * one conditional update of it; it also holds the rebuild lock, so only one rebuild runs at a time
 * whichever instance is asked.
 *
 * @param id              always {@link #ID}
 * @param active          the generation queries read
 * @param lastGeneration  the highest generation number handed out
 * @param rebuilding      whether a rebuild holds the lock
 * @param rebuildingSince since when it does
 */
record ActiveGeneration(@Id String id, long active, long lastGeneration, boolean rebuilding,
        @Nullable Instant rebuildingSince) {

    static final String ID = "views";
}

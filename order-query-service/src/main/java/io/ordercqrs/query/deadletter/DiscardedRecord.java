package io.ordercqrs.query.deadletter;

import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * A record ops gave up on, kept for good so that no replay or rebuild ever parks it again.
 *
 * @param id     {@code topic-partition@offset}
 * @param by     who discarded it
 * @param reason why
 * @param at     when
 */
record DiscardedRecord(@Id String id, String by, String reason, Instant at) {

    static String idOf(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}

package io.ordercqrs.query.deadletter;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One thing that is stuck, wherever it is stuck: a record a generation's projection parked or held
 * ({@code source = projection}), or an outbox row the relay could not publish
 * ({@code source = outbox}, id {@code outbox-<row id>}).
 *
 * @param id         what to pass to show, retry and discard
 * @param source     {@code projection} or {@code outbox}
 * @param generation for a projection's letter: the view generation it belongs to
 * @param topic      the event topic
 * @param aggregate  the aggregate id (the record key)
 * @param eventType  the event's wire type, if readable
 * @param sequence   the event's sequence, if readable
 * @param status     PARKED, HELD or FAILED (outbox)
 * @param errorType  the kind of failure
 * @param error      what went wrong
 * @param attempts   how often it was tried
 * @param since      when it got stuck
 */
public record StuckItem(String id, String source, @Nullable Long generation, String topic, @Nullable String aggregate,
        @Nullable String eventType, @Nullable Long sequence, String status, @Nullable String errorType,
        @Nullable String error, int attempts, @Nullable Instant since) {
}

package io.ordercqrs.query.deadletter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;

/**
 * A Kafka record the projections did not apply, kept whole (value bytes and headers) so that a
 * retry decodes it again with the upcasters of that day.
 *
 * @param id         {@code g<generation>-topic-partition@offset}, so parking the same record twice keeps
 *                   one letter per generation
 * @param generation the view generation whose projection could not apply it
 * @param topic      where the record was read
 * @param partition  its partition
 * @param offset     its offset
 * @param key        its key: the id of the aggregate the event belongs to
 * @param eventType  its {@code ce_type} header, if it had a readable one
 * @param sequence   its {@code ce_sequence} header, if it had a readable one
 * @param headers    all its headers
 * @param payload    its value, byte for byte
 * @param status     whether it waits for ops, and why
 * @param errorType  the kind of failure, such as {@code MalformedEvent} or {@code VersionGap}
 * @param error      what went wrong
 * @param attempts   how often applying it was tried
 * @param blockedBy  for a held letter: the parked letter of the same aggregate it waits behind
 * @param parkedAt   when it was parked
 * @param updatedAt  when its status last changed
 * @param note       why ops resolved or discarded it
 */
public record DeadLetter(
        @Id String id,
        long generation,
        String topic,
        int partition,
        long offset,
        @Nullable String key,
        @Nullable String eventType,
        @Nullable Long sequence,
        List<Header> headers,
        @JsonIgnore byte @Nullable [] payload,
        DeadLetterStatus status,
        @Nullable String errorType,
        @Nullable String error,
        int attempts,
        @Nullable String blockedBy,
        Instant parkedAt,
        Instant updatedAt,
        @Nullable String note) {

    public DeadLetter {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public static String idOf(long generation, String topic, int partition, long offset) {
        return "g" + generation + "-" + topic + "-" + partition + "@" + offset;
    }

    /** The payload as text, for people; bytes that are not UTF-8 show as replacement characters. */
    public @Nullable String payloadText() {
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }

    /** One Kafka record header; its value as UTF-8 text, as all headers of the event contract are. */
    public record Header(String name, @Nullable String value) {
    }
}

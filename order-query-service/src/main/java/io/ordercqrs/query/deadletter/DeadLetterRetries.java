package io.ordercqrs.query.deadletter;

import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewCollections;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries and discards dead letters. A retry decodes the stored record again (with today's
 * upcasters) and applies it; when it succeeds, the letters held behind it follow in offset order,
 * until one fails and is parked in turn. Letters are never applied out of their aggregate's order.
 */
@Component
public class DeadLetterRetries {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRetries.class);
    private static final int MAX_ROUNDS = 100;

    private final MongoTemplate mongo;
    private final EventProjection projection;
    private final Clock clock;

    DeadLetterRetries(MongoTemplate mongo, EventProjection projection, Clock clock) {
        this.mongo = mongo;
        this.projection = projection;
        this.clock = clock;
    }

    /** What a retry did: the letters now applied, and the one parked again (or {@code null}). */
    public record Result(List<String> resolved, DeadLetter stillParked) {
    }

    /** Retries the letter {@code id} and releases what waits behind it. */
    public Result retry(String id) {
        DeadLetter letter = find(id);
        if (!letter.status().isOpen()) {
            throw new DeadLetterNotOpen(id, letter.status());
        }
        return releaseAggregate(letter.topic(), letter.key());
    }

    /** Discards the letter {@code id} with a reason; what waited behind it is then tried in order. */
    public Result discard(String id, String reason) {
        DeadLetter letter = find(id);
        if (!letter.status().isOpen()) {
            throw new DeadLetterNotOpen(id, letter.status());
        }
        close(letter, DeadLetterStatus.DISCARDED, reason);
        return releaseAggregate(letter.topic(), letter.key());
    }

    /**
     * Applies the open letters of one aggregate in offset order, resolving each that applies,
     * and parks the first that fails; the rest stay held behind it.
     */
    Result releaseAggregate(String topic, String key) {
        List<String> resolved = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<DeadLetter> open = openLetters(topic, key);
            if (open.isEmpty()) {
                return new Result(resolved, null);
            }
            for (DeadLetter letter : open) {
                EventProjection.Outcome outcome = projection.project(List.of(record(letter)), ViewCollections.LIVE,
                        false);
                if (outcome.failed()) {
                    DeadLetter parked = repark(letter, outcome.failure().cause(), open);
                    return new Result(resolved, parked);
                }
                close(letter, DeadLetterStatus.RESOLVED, "applied on retry");
                resolved.add(letter.id());
            }
        }
        throw new IllegalStateException("Letters of " + topic + "/" + key + " kept arriving while releasing them");
    }

    /** Held letters whose blocker is gone (resolved or discarded meanwhile) are released here. */
    @Scheduled(fixedDelayString = "${ordercqrs.dead-letters.sweep-interval:10s}")
    void releaseOrphans() {
        Query held = Query.query(Criteria.where("status").is(DeadLetterStatus.HELD));
        for (DeadLetter letter : mongo.find(held, DeadLetter.class, DeadLetters.COLLECTION)) {
            boolean blocked = mongo.exists(Query.query(Criteria.where("topic").is(letter.topic())
                    .and("key").is(letter.key()).and("status").is(DeadLetterStatus.PARKED)), DeadLetters.COLLECTION);
            if (!blocked) {
                log.info("Releasing held letters of {}/{}: nothing is parked before them", letter.topic(), letter.key());
                releaseAggregate(letter.topic(), letter.key());
            }
        }
    }

    /**
     * The aggregate's open letters in the order to apply them: by sequence when every letter has a
     * readable one (a missing event that arrived late is applied before those that waited for it),
     * otherwise as they were read.
     */
    private List<DeadLetter> openLetters(String topic, String key) {
        Query open = Query.query(Criteria.where("topic").is(topic).and("key").is(key)
                .and("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD))
                .with(Sort.by("partition", "offset"));
        List<DeadLetter> letters = new ArrayList<>(mongo.find(open, DeadLetter.class, DeadLetters.COLLECTION));
        if (letters.stream().allMatch(letter -> letter.sequence() != null)) {
            letters.sort(Comparator.comparing(DeadLetter::sequence));
        }
        return letters;
    }

    private DeadLetter repark(DeadLetter letter, Throwable failure, List<DeadLetter> open) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(letter.id())), new Update()
                .set("status", DeadLetterStatus.PARKED).set("errorType", failure.getClass().getSimpleName())
                .set("error", String.valueOf(failure.getMessage())).inc("attempts", 1).unset("blockedBy")
                .set("updatedAt", clock.instant()), DeadLetters.COLLECTION);
        for (DeadLetter behind : open) {
            if (!behind.id().equals(letter.id()) && open.indexOf(behind) > open.indexOf(letter)) {
                mongo.updateFirst(Query.query(Criteria.where("_id").is(behind.id())),
                        new Update().set("status", DeadLetterStatus.HELD).set("blockedBy", letter.id()),
                        DeadLetters.COLLECTION);
            }
        }
        return find(letter.id());
    }

    private void close(DeadLetter letter, DeadLetterStatus status, String note) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(letter.id())), new Update().set("status", status)
                .set("note", note).set("updatedAt", clock.instant()), DeadLetters.COLLECTION);
    }

    private DeadLetter find(String id) {
        DeadLetter letter = mongo.findById(id, DeadLetter.class, DeadLetters.COLLECTION);
        if (letter == null) {
            throw new DeadLetterNotFound(id);
        }
        return letter;
    }

    private static ConsumerRecord<String, byte[]> record(DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        for (DeadLetter.Header header : letter.headers()) {
            headers.add(header.name(), header.value() == null ? null
                    : header.value().getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(letter.topic(), letter.partition(), letter.offset(),
                ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, letter.key(), letter.payload(), headers,
                Optional.empty());
    }
}

package io.ordercqrs.query.deadletter;

import io.swagger.v3.oas.annotations.media.Schema;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.query.customersummary.CustomerTotalsRecount;
import io.ordercqrs.query.projection.Delivery;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries and discards dead letters. A retry decodes the stored record again (with today's
 * upcasters) and applies it to its generation's views, through the same path as every other
 * event; when it succeeds, the letters held behind it follow in order, until one fails and is
 * parked in turn. Letters are never applied out of their aggregate's order. The totals of the
 * customers whose orders changed are then counted again from their views, as after any repair.
 */
@Component
public class DeadLetterRetries {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRetries.class);
    private static final int MAX_ROUNDS = 100;

    private final DeadLetters letters;
    private final EventProjection projection;
    private final CustomerTotalsRecount totals;

    DeadLetterRetries(DeadLetters letters, EventProjection projection, CustomerTotalsRecount totals) {
        this.letters = letters;
        this.projection = projection;
        this.totals = totals;
    }

    /**
     * What a retry did: the letters now applied, and the one parked again (or {@code null}).
     *
     * @param resolved    the letters applied, in order
     * @param stillParked the letter that failed again and holds the rest, or {@code null}
     */
    @Schema(name = "DeadLetterOutcome", description = "What a retry or discard resolved, and the letter parked again, if any")
    public record Result(List<String> resolved, @Nullable DeadLetter stillParked) {
    }

    /** Retries the letter {@code id} and releases what waits behind it. */
    public Result retry(String id) {
        DeadLetter letter = find(id);
        if (!letter.status().isOpen()) {
            throw new DeadLetterNotOpen(id, letter.status());
        }
        return releaseAggregate(letter.generation(), letter.topic(), letter.key());
    }

    /**
     * Discards the letter {@code id} with a reason; its record is never parked again, and what
     * waited behind it is then tried in order.
     */
    public Result discard(String id, String reason, String by) {
        DeadLetter letter = find(id);
        if (!letter.status().isOpen() || !letters.close(letter, DeadLetterStatus.DISCARDED, reason)) {
            throw new DeadLetterNotOpen(id, find(id).status());
        }
        letters.rememberDiscarded(letter, by, reason);
        return releaseAggregate(letter.generation(), letter.topic(), letter.key());
    }

    /**
     * Applies the open letters of one aggregate in order, resolving each that applies, and parks
     * the first that fails; the rest stay held behind it.
     */
    Result releaseAggregate(long generation, String topic, @Nullable String key) {
        ViewSet views = ViewSet.generation(generation);
        List<String> resolved = new ArrayList<>();
        Set<String> customers = new TreeSet<>();
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                List<DeadLetter> open = inOrder(letters.openLetters(generation, topic, key));
                if (open.isEmpty()) {
                    return new Result(resolved, null);
                }
                for (int i = 0; i < open.size(); i++) {
                    DeadLetter letter = open.get(i);
                    EventProjection.Outcome outcome = projection.project(List.of(record(letter)), views,
                            Delivery.LATE);
                    outcome.changes().stream().filter(OrderEvent.class::isInstance).map(OrderEvent.class::cast)
                            .forEach(event -> customers.add(event.customerId().toString()));
                    EventProjection.Failure failure = outcome.failure();
                    if (failure != null) {
                        letters.repark(letter, failure.cause(), open.subList(i + 1, open.size()));
                        return new Result(resolved, find(letter.id()));
                    }
                    if (letters.close(letter, DeadLetterStatus.RESOLVED, "applied on retry")) {
                        resolved.add(letter.id());
                    }
                }
            }
            throw new IllegalStateException("Letters of " + topic + "/" + key + " kept arriving while releasing them");
        }
        finally {
            totals.recount(customers, views);
        }
    }

    /** Held letters whose blocker is gone (resolved or discarded meanwhile) are released here. */
    @Scheduled(fixedDelayString = "${ordercqrs.dead-letters.sweep-interval:10s}")
    void releaseOrphans() {
        for (DeadLetter letter : letters.held()) {
            if (!letters.parkedBefore(letter.generation(), letter.topic(), letter.key())) {
                log.info("Releasing held letters of {}/{} in generation {}: nothing is parked before them",
                        letter.topic(), letter.key(), letter.generation());
                releaseAggregate(letter.generation(), letter.topic(), letter.key());
            }
        }
    }

    /**
     * The aggregate's open letters in the order to apply them: by sequence when every letter has a
     * readable one (a missing event that arrived late is applied before those that waited for it),
     * otherwise as they were read.
     */
    private static List<DeadLetter> inOrder(List<DeadLetter> open) {
        List<DeadLetter> letters = new ArrayList<>(open);
        if (letters.stream().allMatch(letter -> letter.sequence() != null)) {
            letters.sort(Comparator.comparing(DeadLetter::sequence));
        }
        return letters;
    }

    private DeadLetter find(String id) {
        return letters.findById(id).orElseThrow(() -> new DeadLetterNotFound(id));
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

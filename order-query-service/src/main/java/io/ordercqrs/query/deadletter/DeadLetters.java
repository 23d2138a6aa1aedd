package io.ordercqrs.query.deadletter;

import io.ordercqrs.events.wire.CloudEventHeaders;
import io.ordercqrs.query.generation.SkippedRecords;
import io.ordercqrs.query.projection.DeadLetterGate;
import io.ordercqrs.query.projection.ViewSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/**
 * The dead-letter store: records a generation's projection could not apply, and those waiting
 * behind them. It is the projection's {@link DeadLetterGate} and tells the generations what each
 * of them skipped.
 */
@Repository
public class DeadLetters implements DeadLetterGate, SkippedRecords, InitializingBean {

    static final String COLLECTION = "dead_letters";
    static final String DISCARDED = "discarded_records";

    private final MongoTemplate mongo;
    private final Clock clock;

    DeadLetters(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** Creates the indexes, and files letters from before generations under the first one. */
    @Override
    public void afterPropertiesSet() {
        IndexOperations indexes = mongo.indexOps(COLLECTION);
        indexes.createIndex(new Index().on("generation", Sort.Direction.ASC).on("topic", Sort.Direction.ASC)
                .on("key", Sort.Direction.ASC).on("status", Sort.Direction.ASC).named("generation_aggregate_status"));
        indexes.createIndex(new Index().on("status", Sort.Direction.ASC).on("parkedAt", Sort.Direction.ASC)
                .named("status_parked_at"));
        indexes.createIndex(new Index().on("status", Sort.Direction.ASC).on("updatedAt", Sort.Direction.ASC)
                .named("status_updated_at"));
        mongo.updateMulti(Query.query(Criteria.where("generation").exists(false)), new Update().set("generation", 0L),
                COLLECTION);
        mongo.updateMulti(Query.query(Criteria.where("generation").is(0L)
                        .and("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD)),
                new Update().set("status", DeadLetterStatus.DROPPED).set("note", "views of an earlier version")
                        .set("updatedAt", clock.instant()), COLLECTION);
    }

    @Override
    public ParkedRecord park(ViewSet views, ConsumerRecord<String, byte[]> record, Throwable failure, int attempts) {
        DeadLetter letter = letter(views, record, DeadLetterStatus.PARKED, failure.getClass().getSimpleName(),
                String.valueOf(failure.getMessage()), attempts, null);
        DiscardedRecord discarded = mongo.findById(DiscardedRecord.idOf(record.topic(), record.partition(),
                record.offset()), DiscardedRecord.class, DISCARDED);
        if (discarded != null) {
            DeadLetter skipped = new DeadLetter(letter.id(), letter.generation(), letter.topic(), letter.partition(),
                    letter.offset(), letter.key(), letter.eventType(), letter.sequence(), letter.headers(),
                    letter.payload(), DeadLetterStatus.DISCARDED, letter.errorType(), letter.error(), attempts, null,
                    letter.parkedAt(), letter.updatedAt(), "discarded before by " + discarded.by() + ": "
                            + discarded.reason());
            mongo.save(skipped, COLLECTION);
            return new ParkedRecord(letter.id(), false);
        }
        mongo.save(letter, COLLECTION);
        return new ParkedRecord(letter.id(), true);
    }

    @Override
    public void hold(ViewSet views, List<HeldRecord> held) {
        for (HeldRecord entry : held) {
            DeadLetter letter = letter(views, entry.record(), DeadLetterStatus.HELD, null,
                    "Held behind " + entry.blockedBy() + ", an earlier event of the same aggregate", 0,
                    entry.blockedBy());
            try {
                mongo.insert(letter, COLLECTION);
            }
            catch (DuplicateKeyException again) {
                // held before (the batch ran again): the letter as it stands, maybe resolved since, wins
            }
        }
    }

    @Override
    public Map<AggregateKey, Blocker> blockers(ViewSet views, Collection<AggregateKey> aggregates) {
        if (aggregates.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> keysByTopic = new HashMap<>();
        aggregates.forEach(aggregate -> keysByTopic.computeIfAbsent(aggregate.topic(), topic -> new ArrayList<>())
                .add(aggregate.key()));
        Map<AggregateKey, Blocker> blocking = new HashMap<>();
        keysByTopic.forEach((topic, keys) -> {
            Query open = Query.query(Criteria.where("generation").is(views.generation()).and("topic").is(topic)
                    .and("key").in(keys).and("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD))
                    .with(Sort.by("partition", "offset"));
            open.fields().include("_id", "topic", "key", "partition", "offset");
            for (Document letter : mongo.find(open, Document.class, COLLECTION)) {
                blocking.putIfAbsent(new AggregateKey(letter.getString("topic"), letter.getString("key")),
                        new Blocker(letter.getString("_id"), letter.getInteger("partition"),
                                letter.get("offset", Number.class).longValue()));
            }
        });
        return blocking;
    }

    @Override
    public long count(long generation) {
        return mongo.count(open(generation), COLLECTION);
    }

    @Override
    public List<Skipped> list(long generation, int limit) {
        return mongo.find(open(generation).with(Sort.by("parkedAt", "_id")).limit(limit), DeadLetter.class, COLLECTION)
                .stream()
                .map(letter -> new Skipped(letter.id(), letter.topic(), String.valueOf(letter.key()),
                        String.valueOf(letter.error())))
                .toList();
    }

    @Override
    public void generationDropped(long generation) {
        mongo.updateMulti(open(generation), new Update().set("status", DeadLetterStatus.DROPPED)
                .set("note", "generation " + generation + " was dropped").set("updatedAt", clock.instant()), COLLECTION);
    }

    /** The open letters of an aggregate in one generation, in the order they were read. */
    List<DeadLetter> openLetters(long generation, String topic, @Nullable String key) {
        Query open = Query.query(Criteria.where("generation").is(generation).and("topic").is(topic).and("key").is(key)
                .and("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD))
                .with(Sort.by("partition", "offset"));
        return mongo.find(open, DeadLetter.class, COLLECTION);
    }

    /** How many letters are kept in each state, over every generation (states without letters are absent). */
    Map<DeadLetterStatus, Long> countByStatus() {
        Map<DeadLetterStatus, Long> counts = new HashMap<>();
        Aggregation byStatus = Aggregation.newAggregation(Aggregation.group("status").count().as("letters"));
        for (Document group : mongo.aggregate(byStatus, COLLECTION, Document.class)) {
            counts.put(DeadLetterStatus.valueOf(group.getString("_id")),
                    group.get("letters", Number.class).longValue());
        }
        return counts;
    }

    public List<DeadLetter> findAll(Query query) {
        return mongo.find(query, DeadLetter.class, COLLECTION);
    }

    Optional<DeadLetter> findById(String id) {
        return Optional.ofNullable(mongo.findById(id, DeadLetter.class, COLLECTION));
    }

    /** Whether an open letter of this aggregate is parked (rather than only held) in {@code generation}. */
    boolean parkedBefore(long generation, String topic, @Nullable String key) {
        return mongo.exists(Query.query(Criteria.where("generation").is(generation).and("topic").is(topic)
                .and("key").is(key).and("status").is(DeadLetterStatus.PARKED)), COLLECTION);
    }

    /** Closes a letter, unless it was closed meanwhile; {@code false} then. */
    boolean close(DeadLetter letter, DeadLetterStatus status, String note) {
        return mongo.updateFirst(stillOpen(letter.id()),
                new Update().set("status", status).set("note", note).set("updatedAt", clock.instant()), COLLECTION)
                .getMatchedCount() == 1;
    }

    /**
     * Records that ops gave up on {@code letter}'s record, for good: no replay or rebuild parks that
     * record again, whatever the letter's own retention.
     */
    void rememberDiscarded(DeadLetter letter, String by, String reason) {
        mongo.save(new DiscardedRecord(DiscardedRecord.idOf(letter.topic(), letter.partition(), letter.offset()), by,
                reason, clock.instant()), DISCARDED);
    }

    /**
     * Parks a letter again after a retry failed, holding the later ones of its aggregate behind it:
     * only letters still open, so a letter ops discarded (or another instance resolved) meanwhile
     * stays as it is, and then holds nothing back.
     */
    void repark(DeadLetter letter, Throwable failure, List<DeadLetter> behind) {
        Instant now = clock.instant();
        if (mongo.updateFirst(stillOpen(letter.id()), new Update()
                .set("status", DeadLetterStatus.PARKED).set("errorType", failure.getClass().getSimpleName())
                .set("error", String.valueOf(failure.getMessage())).inc("attempts", 1).unset("blockedBy")
                .set("updatedAt", now), COLLECTION).getMatchedCount() == 0) {
            return;
        }
        for (DeadLetter held : behind) {
            mongo.updateFirst(stillOpen(held.id()),
                    new Update().set("status", DeadLetterStatus.HELD).set("blockedBy", letter.id()).set("updatedAt", now),
                    COLLECTION);
        }
    }

    private static Query stillOpen(String id) {
        return Query.query(Criteria.where("_id").is(id)
                .and("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD));
    }

    /** The generations with held letters, and their aggregates. */
    List<DeadLetter> held() {
        return mongo.find(Query.query(Criteria.where("status").is(DeadLetterStatus.HELD)), DeadLetter.class,
                COLLECTION);
    }

    /** Removes up to {@code limit} closed letters last changed before {@code before}; how many went. */
    long removeClosedBefore(Instant before, int limit) {
        Query old = Query.query(Criteria.where("status").in(DeadLetterStatus.RESOLVED, DeadLetterStatus.DISCARDED)
                .and("updatedAt").lt(before)).limit(limit);
        old.fields().include("_id");
        List<Object> ids = mongo.find(old, Document.class, COLLECTION).stream().map(doc -> doc.get("_id")).toList();
        if (ids.isEmpty()) {
            return 0;
        }
        return mongo.remove(Query.query(Criteria.where("_id").in(ids)), COLLECTION).getDeletedCount();
    }

    private static Query open(long generation) {
        return Query.query(Criteria.where("generation").is(generation)
                .and("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD));
    }

    private DeadLetter letter(ViewSet views, ConsumerRecord<String, byte[]> record, DeadLetterStatus status,
            @Nullable String errorType, String error, int attempts, @Nullable String blockedBy) {
        List<DeadLetter.Header> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new DeadLetter.Header(header.key(),
                    header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8)));
        }
        String eventType = CloudEventHeaders.get(record.headers(), CloudEventHeaders.TYPE);
        Long sequence = readableSequence(CloudEventHeaders.get(record.headers(), CloudEventHeaders.SEQUENCE));
        Instant now = clock.instant();
        return new DeadLetter(DeadLetter.idOf(views.generation(), record.topic(), record.partition(), record.offset()),
                views.generation(), record.topic(), record.partition(), record.offset(), record.key(), eventType,
                sequence, headers, record.value(), status, errorType, error, attempts, blockedBy, now, now, null);
    }

    private static @Nullable Long readableSequence(@Nullable String header) {
        try {
            return header == null ? null : Long.valueOf(header);
        }
        catch (NumberFormatException unreadable) {
            return null; // kept as a header; the letter's error says what is wrong with the record
        }
    }
}

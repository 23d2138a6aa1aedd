package io.ordercqrs.query.deadletter;

import io.ordercqrs.events.wire.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Repository;

/** The dead-letter store: records the projections could not apply, and those waiting behind them. */
@Repository
public class DeadLetters {

    static final String COLLECTION = "dead_letters";

    private final MongoTemplate mongo;
    private final Clock clock;

    public DeadLetters(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** Parks a record that failed {@code attempts} times with {@code failure}. */
    public DeadLetter park(ConsumerRecord<String, byte[]> record, Throwable failure, int attempts) {
        DeadLetter letter = letter(record, DeadLetterStatus.PARKED, failure.getClass().getSimpleName(),
                String.valueOf(failure.getMessage()), attempts, null);
        mongo.save(letter, COLLECTION);
        return letter;
    }

    /** Keeps a record that must wait behind the open letter {@code blockedBy} of its aggregate. */
    public void hold(List<HeldRecord> held) {
        for (HeldRecord entry : held) {
            mongo.save(letter(entry.record(), DeadLetterStatus.HELD, null,
                    "Held behind " + entry.blockedBy() + ", an earlier event of the same aggregate", 0,
                    entry.blockedBy()), COLLECTION);
        }
    }

    /**
     * For each of these aggregates ({@code topic/key}) that has open letters: the id of its
     * earliest open letter, which later records must wait behind.
     */
    public Map<String, String> blockingLetters(Collection<String> topicKeys) {
        if (topicKeys.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> keysByTopic = new HashMap<>();
        for (String topicKey : topicKeys) {
            int slash = topicKey.indexOf('/');
            keysByTopic.computeIfAbsent(topicKey.substring(0, slash), topic -> new ArrayList<>())
                    .add(topicKey.substring(slash + 1));
        }
        Map<String, String> blocking = new HashMap<>();
        keysByTopic.forEach((topic, keys) -> {
            Query open = Query.query(Criteria.where("topic").is(topic).and("key").in(keys)
                    .and("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD))
                    .with(Sort.by("partition", "offset"));
            open.fields().include("_id", "topic", "key");
            for (Document letter : mongo.find(open, Document.class, COLLECTION)) {
                blocking.putIfAbsent(letter.getString("topic") + "/" + letter.getString("key"),
                        letter.getString("_id"));
            }
        });
        return blocking;
    }

    /** How many letters are open (parked or held). */
    public long countOpen() {
        return mongo.count(Query.query(Criteria.where("status").in(DeadLetterStatus.PARKED, DeadLetterStatus.HELD)),
                DeadLetter.class, COLLECTION);
    }

    public List<DeadLetter> findAll(Query query) {
        return mongo.find(query, DeadLetter.class, COLLECTION);
    }

    private DeadLetter letter(ConsumerRecord<String, byte[]> record, DeadLetterStatus status, String errorType,
            String error, int attempts, String blockedBy) {
        List<DeadLetter.Header> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new DeadLetter.Header(header.key(),
                    header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8)));
        }
        String eventType = CloudEventHeaders.get(record.headers(), CloudEventHeaders.TYPE);
        Long sequence = readableSequence(CloudEventHeaders.get(record.headers(), CloudEventHeaders.SEQUENCE));
        Instant now = clock.instant();
        return new DeadLetter(DeadLetter.idOf(record.topic(), record.partition(), record.offset()), record.topic(),
                record.partition(), record.offset(), record.key(), eventType, sequence, headers, record.value(),
                status, errorType, error, attempts, blockedBy, now, now, null);
    }

    private static Long readableSequence(String header) {
        try {
            return header == null ? null : Long.parseLong(header);
        }
        catch (NumberFormatException unreadable) {
            return null; // kept as a header; the letter's error says what is wrong with the record
        }
    }

    /** A record to keep behind the open letter {@code blockedBy}. */
    public record HeldRecord(ConsumerRecord<String, byte[]> record, String blockedBy) {
    }
}

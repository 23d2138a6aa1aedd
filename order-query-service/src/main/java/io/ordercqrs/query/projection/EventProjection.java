package io.ordercqrs.query.projection;

import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The one path every event takes into the views, whether consumed live, by a generation being
 * built, replayed by ops or retried from the dead letters: decode, hold behind open dead letters,
 * check each event's sequence, fold it with its view's {@link Projector}, write each changed
 * document once (one guarded bulk per view), then refresh the derived data ({@link AfterWrite}).
 *
 * <p>The first record that fails stops the batch: everything before it is written, and the
 * caller decides about it (retry, then park) and what follows. A guarded write that lost to a
 * concurrent writer re-runs the batch from fresh reads. A failure that is not about one record
 * ({@link BatchFailure}: the store is down, the views keep changing, deriving data from documents
 * already written failed) is thrown, so the batch is retried as a whole without parking anything;
 * any other failure while reading or writing is narrowed down to the one record that causes it by
 * applying the records one at a time.
 */
@Component
public class EventProjection {

    private static final int MAX_RACES = 10;

    private final EventCodec codec;
    private final MongoTemplate mongo;
    private final List<Projector<?>> projectors;
    private final List<AfterWrite> afterWrites;
    private final DeadLetterGate deadLetters;
    private final ProjectionMetrics metrics;

    EventProjection(EventCodec codec, MongoTemplate mongo, List<Projector<?>> projectors,
            List<AfterWrite> afterWrites, DeadLetterGate deadLetters, ProjectionMetrics metrics) {
        this.codec = codec;
        this.mongo = mongo;
        this.projectors = List.copyOf(projectors);
        this.afterWrites = List.copyOf(afterWrites);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /**
     * Applies {@code records}, in order, to {@code views}.
     *
     * @throws BatchFailure when the failure is not about one record: retry the whole batch later
     */
    public Outcome project(List<ConsumerRecord<String, byte[]>> records, ViewSet views, Delivery delivery) {
        Decoded decoded = decode(records, views, delivery);
        Outcome outcome = apply(decoded.entries(), views, delivery == Delivery.IN_ORDER ? Mode.FOLD_CREATIONS_UNREAD
                : Mode.FOLD);
        Failure failure = outcome.failure() != null ? outcome.failure() : decoded.failure();
        List<DeadLetterGate.HeldRecord> held = new ArrayList<>();
        decoded.held().forEach((index, record) -> {
            if (failure == null || index < failure.index()) {
                held.add(record);
            }
        });
        if (!held.isEmpty()) {
            store(() -> deadLetters.hold(views, held));
        }
        return new Outcome(outcome.changes(), outcome.duplicates(), held.size(), failure);
    }

    /**
     * Applies {@code records} in order like {@link #project}, but hands each record that fails to
     * {@code failed} and goes on with the next: for replays and checks, which must not stop at one
     * bad record. The outcome counts the whole batch and never reports a failure.
     */
    public Outcome projectPastFailures(List<ConsumerRecord<String, byte[]>> records, ViewSet views,
            Delivery delivery, BiConsumer<ConsumerRecord<String, byte[]>, RuntimeException> failed) {
        List<DomainEvent> applied = new ArrayList<>();
        int duplicates = 0;
        int held = 0;
        List<ConsumerRecord<String, byte[]>> rest = records;
        while (!rest.isEmpty()) {
            Outcome outcome = project(rest, views, delivery);
            applied.addAll(outcome.changes());
            duplicates += outcome.duplicates();
            held += outcome.held();
            if (outcome.failure() == null) {
                break;
            }
            int failedAt = outcome.failure().index();
            failed.accept(rest.get(failedAt), outcome.failure().cause());
            rest = rest.subList(failedAt + 1, rest.size());
        }
        return new Outcome(applied, duplicates, held, null);
    }

    /** Applies {@code events}, read in order from somewhere other than a consumer, like {@link #project}. */
    public Outcome fold(List<SourcedEvent> events, ViewSet views) {
        return apply(entries(events), views, Mode.FOLD);
    }

    /**
     * Re-derives the documents {@code events} belong to from those events alone and puts them in
     * place of what the views hold, through the same steps as every other path: the way to repair
     * a damaged view. A stored document at a later version than the events reach is kept.
     */
    public Outcome replace(List<SourcedEvent> events, ViewSet views) {
        return apply(entries(events), views, Mode.REPLACE);
    }

    private static List<Entry> entries(List<SourcedEvent> events) {
        List<Entry> entries = new ArrayList<>();
        for (SourcedEvent sourced : events) {
            entries.add(new Entry(entries.size(), sourced.event(), sourced.origin(), sourced.traceId()));
        }
        return entries;
    }

    /** Prepares a new set of views: each projector's indexes. */
    public void prepare(ViewSet views) {
        projectors.forEach(projector -> projector.prepare(views));
    }

    /** Every view this path writes, by name. */
    public List<String> views() {
        List<String> views = new ArrayList<>();
        projectors.forEach(projector -> views.add(projector.view()));
        afterWrites.forEach(step -> views.addAll(step.views()));
        return List.copyOf(views);
    }

    private Decoded decode(List<ConsumerRecord<String, byte[]>> records, ViewSet views, Delivery delivery) {
        Map<DeadLetterGate.AggregateKey, DeadLetterGate.Blocker> blockers = delivery.inPartitionOrder()
                ? store(() -> deadLetters.blockers(views, records.stream().map(DeadLetterGate.AggregateKey::of).toList()))
                : Map.of();
        List<Entry> entries = new ArrayList<>();
        Map<Integer, DeadLetterGate.HeldRecord> held = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            DeadLetterGate.Blocker blocker = blockers.get(DeadLetterGate.AggregateKey.of(record));
            if (blocker != null && blocker.holds(record)) {
                held.put(i, new DeadLetterGate.HeldRecord(record, blocker.letterId()));
                continue;
            }
            try {
                EventEnvelope envelope = codec.toEnvelope(record);
                entries.add(new Entry(i, codec.decode(envelope),
                        delivery.inPartitionOrder() ? Origin.of(record) : Origin.LATE, envelope.traceId()));
            }
            catch (RuntimeException undecodable) {
                return new Decoded(entries, held, new Failure(i, undecodable));
            }
        }
        return new Decoded(entries, held, null);
    }

    /** Applies the entries, re-running on lost races; a failure while writing is narrowed down to its entry. */
    private Outcome apply(List<Entry> entries, ViewSet views, Mode mode) {
        if (entries.isEmpty()) {
            return new Outcome(List.of(), 0, 0, null);
        }
        try {
            return applyRacing(entries, views, mode);
        }
        catch (BatchFailure notAboutARecord) {
            throw notAboutARecord;
        }
        catch (RuntimeException writeFailed) {
            if (entries.size() == 1) {
                return new Outcome(List.of(), 0, 0, new Failure(entries.get(0).index(), writeFailed));
            }
            return oneAtATime(entries, views, mode);
        }
    }

    private Outcome oneAtATime(List<Entry> entries, ViewSet views, Mode mode) {
        List<DomainEvent> applied = new ArrayList<>();
        int duplicates = 0;
        for (Entry entry : entries) {
            Outcome one = apply(List.of(entry), views, mode);
            applied.addAll(one.changes());
            duplicates += one.duplicates();
            if (one.failure() != null) {
                return new Outcome(applied, duplicates, 0, one.failure());
            }
        }
        return new Outcome(applied, duplicates, 0, null);
    }

    private Outcome applyRacing(List<Entry> entries, ViewSet views, Mode mode) {
        for (int race = 0; race < MAX_RACES; race++) {
            try {
                Outcome outcome = attempt(entries, views, race == 0 ? mode : mode.again());
                if (outcome != null) {
                    return outcome;
                }
            }
            catch (BatchFailure notAboutARecord) {
                throw notAboutARecord;
            }
            catch (RuntimeException failed) {
                if (ViewStoreUnavailable.passing(failed)) {
                    throw new ViewStoreUnavailable(failed);
                }
                throw failed;
            }
        }
        throw new ConcurrentChanges("The views of " + entries.size() + " records", MAX_RACES);
    }

    /** One attempt: read, fold, write, derive. {@code null} when a guarded write lost a race. */
    private @Nullable Outcome attempt(List<Entry> entries, ViewSet views, Mode mode) {
        List<Fold<?>> folds = new ArrayList<>();
        for (Projector<?> projector : projectors) {
            folds.add(Fold.load(projector, entries, views, mongo, mode));
        }
        List<AppliedBatch.Applied> applied = new ArrayList<>();
        List<DomainEvent> changes = new ArrayList<>();
        Failure failure = null;
        for (Entry entry : entries) {
            try {
                boolean next = false;
                for (Fold<?> fold : folds) {
                    next |= fold.apply(entry);
                }
                applied.add(new AppliedBatch.Applied(entry.event(), entry.origin(), !next));
                if (next) {
                    changes.add(entry.event());
                }
            }
            catch (RuntimeException e) {
                failure = new Failure(entry.index(), e);
                break;
            }
        }
        Map<Class<?>, Map<String, ?>> documents = new LinkedHashMap<>();
        Map<Class<?>, Map<String, ?>> stored = new LinkedHashMap<>();
        for (Fold<?> fold : folds) {
            if (!fold.write(views, mongo, mode)) {
                return null;
            }
            documents.put(fold.projector.documentType(), fold.current);
            stored.put(fold.projector.documentType(), fold.stored);
        }
        AppliedBatch batch = new AppliedBatch(views, applied, documents, stored);
        for (AfterWrite step : afterWrites) {
            try {
                step.refresh(batch);
            }
            catch (BatchFailure notAboutARecord) {
                throw notAboutARecord;
            }
            catch (RuntimeException failed) {
                throw ViewStoreUnavailable.passing(failed) ? new ViewStoreUnavailable(failed)
                        : new DerivedDataFailed(step, failed);
            }
        }
        metrics.applied(changes);
        return new Outcome(changes, applied.size() - changes.size(), 0, failure);
    }

    /** Runs a call to the store outside the guarded writes, telling a passing store failure apart. */
    private static <T> T store(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (RuntimeException failed) {
            if (ViewStoreUnavailable.passing(failed)) {
                throw new ViewStoreUnavailable(failed);
            }
            throw failed;
        }
    }

    private static void store(Runnable call) {
        store(() -> {
            call.run();
            return null;
        });
    }

    private enum Mode {
        /** Events fold onto the stored documents. */
        FOLD,
        /**
         * Like {@link #FOLD}, but a document whose first event in the batch is its aggregate's first
         * is taken to be new and not read: records read in order almost never find theirs there
         * already. If it is there after all (a record delivered again), its insert loses like a race
         * and the batch runs again as {@link #FOLD}. Saves a lookup per new document.
         */
        FOLD_CREATIONS_UNREAD,
        /** Events fold from nothing and the result takes the stored documents' place. */
        REPLACE;

        /** How a batch runs again after a lost race. */
        Mode again() {
            return this == FOLD_CREATIONS_UNREAD ? FOLD : this;
        }
    }

    /** One projector's documents during an attempt: as stored, and as folded so far. */
    private static final class Fold<V> {

        final Projector<V> projector;
        final Map<String, V> stored;
        final Map<String, V> current = new LinkedHashMap<>();

        private Fold(Projector<V> projector, Map<String, V> stored) {
            this.projector = projector;
            this.stored = stored;
        }

        static <V> Fold<V> load(Projector<V> projector, List<Entry> entries, ViewSet views, MongoTemplate mongo,
                Mode mode) {
            Set<String> seen = new HashSet<>();
            List<String> ids = new ArrayList<>();
            for (Entry entry : entries) {
                String id = projector.documentId(entry.event());
                boolean created = mode == Mode.FOLD_CREATIONS_UNREAD && entry.event().sequence() == 1;
                if (id != null && seen.add(id) && !created) {
                    ids.add(id);
                }
            }
            Map<String, V> stored = new LinkedHashMap<>();
            if (!ids.isEmpty()) {
                for (V document : mongo.find(Query.query(Criteria.where("_id").in(ids)), projector.documentType(),
                        views.collection(projector.view()))) {
                    stored.put(projector.id(document), document);
                }
            }
            Fold<V> fold = new Fold<>(projector, stored);
            if (mode != Mode.REPLACE) {
                fold.current.putAll(stored);
            }
            return fold;
        }

        /** Folds the entry's event into its document; {@code true} if it was the next one for it. */
        boolean apply(Entry entry) {
            DomainEvent event = entry.event();
            String id = projector.documentId(event);
            if (id == null) {
                return false;
            }
            V document = current.get(id);
            long version = document == null ? 0 : projector.version(document);
            switch (SequenceCheck.of(version, event.sequence())) {
                case DUPLICATE -> {
                    return false;
                }
                case GAP -> throw new VersionGap(event.aggregateType().wireName(), id, version, event.sequence());
                default -> {
                    current.put(id, projector.apply(document, event, entry.origin(), entry.traceId()));
                    return true;
                }
            }
        }

        /** Writes every document that changed; {@code false} if a concurrent writer got there first. */
        boolean write(ViewSet views, MongoTemplate mongo, Mode mode) {
            Map<String, V> completed = new LinkedHashMap<>(projector.complete(current, stored, views));
            GuardedWrites writes = new GuardedWrites(mongo, projector.documentType(), views.collection(projector.view()));
            completed.replaceAll((id, document) -> {
                V before = stored.get(id);
                if (before == null) {
                    writes.insert(projector.withRevision(document, 1));
                    return projector.withRevision(document, 1);
                }
                if (mode == Mode.REPLACE && projector.version(before) > projector.version(document)) {
                    return before;
                }
                if (projector.withRevision(before, 0).equals(projector.withRevision(document, 0))) {
                    return before;
                }
                long revision = projector.revision(before) + 1;
                writes.replace(id, "revision", projector.revision(before), projector.withRevision(document, revision));
                return projector.withRevision(document, revision);
            });
            if (!writes.execute()) {
                return false;
            }
            current.clear();
            current.putAll(completed);
            return true;
        }
    }

    private record Entry(int index, DomainEvent event, Origin origin, @Nullable String traceId) {
    }

    private record Decoded(List<Entry> entries, Map<Integer, DeadLetterGate.HeldRecord> held,
            @Nullable Failure failure) {
    }

    /** The record at {@code index} of the batch failed with {@code cause}. */
    public record Failure(int index, RuntimeException cause) {
    }

    /**
     * What a batch did.
     *
     * @param changes    the events applied to the views (the others were duplicates, held, or not reached)
     * @param duplicates events the views already had
     * @param held       records kept behind an open dead letter of their aggregate
     * @param failure    the record that failed and stopped the batch, or {@code null}
     */
    public record Outcome(List<DomainEvent> changes, int duplicates, int held, @Nullable Failure failure) {

        public Outcome {
            changes = List.copyOf(changes);
        }

        /** How many events were applied to the views. */
        public int applied() {
            return changes.size();
        }

        public boolean failed() {
            return failure != null;
        }
    }
}

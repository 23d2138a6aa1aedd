package io.ordercqrs.query.generation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/**
 * The generations and the document naming the active one, in MongoDB. Every change is one
 * conditional single-document update, so any number of instances may try the same step at once
 * and exactly one succeeds.
 */
@Repository
class Generations {

    static final String COLLECTION = "view_generations";
    static final String POINTER = "active_generation";

    private final MongoTemplate mongo;
    private final Clock clock;

    Generations(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /**
     * Creates the first generation and the pointer to it unless they exist.
     *
     * @return {@code true} if they were created now
     */
    boolean initialize(String groupId) {
        try {
            mongo.insert(new Generation(1, GenerationState.ACTIVE, groupId, "first start", clock.instant(), List.of(),
                    List.of(), Generation.Progress.NONE, 0, false, clock.instant(), null, null, null, null, null), COLLECTION);
        }
        catch (DuplicateKeyException exists) {
            // another instance, or an earlier start, created it
        }
        try {
            mongo.insert(new ActiveGeneration(ActiveGeneration.ID, 1, 1, false, null), POINTER);
            return true;
        }
        catch (DuplicateKeyException exists) {
            return false;
        }
    }

    ActiveGeneration pointer() {
        ActiveGeneration pointer = mongo.findById(ActiveGeneration.ID, ActiveGeneration.class, POINTER);
        if (pointer == null) {
            throw new IllegalStateException("The view generations are not initialized");
        }
        return pointer;
    }

    List<Generation> all() {
        return mongo.find(new Query().with(Sort.by("_id")), Generation.class, COLLECTION);
    }

    Optional<Generation> find(long id) {
        return Optional.ofNullable(mongo.findById(id, Generation.class, COLLECTION));
    }

    /** The newest generation after the first, if a rebuild ever started. */
    Optional<Generation> latestRebuild() {
        Query query = Query.query(Criteria.where("_id").gt(1L)).with(Sort.by(Sort.Direction.DESC, "_id")).limit(1);
        return Optional.ofNullable(mongo.findOne(query, Generation.class, COLLECTION));
    }

    /** Takes the rebuild lock and a new generation number, unless a rebuild holds the lock. */
    OptionalLong allocate() {
        ActiveGeneration taken = mongo.findAndModify(
                Query.query(Criteria.where("_id").is(ActiveGeneration.ID).and("rebuilding").is(false)),
                new Update().inc("lastGeneration", 1).set("rebuilding", true).set("rebuildingSince", clock.instant()),
                FindAndModifyOptions.options().returnNew(true), ActiveGeneration.class, POINTER);
        return taken == null ? OptionalLong.empty() : OptionalLong.of(taken.lastGeneration());
    }

    void insert(Generation generation) {
        mongo.insert(generation, COLLECTION);
    }

    /** Moves generation {@code id} from one of {@code from} to {@code to}; {@code false} if it was not in one. */
    boolean transition(long id, List<GenerationState> from, GenerationState to, Update also) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("state").in(from)),
                also.set("state", to), COLLECTION).getMatchedCount() == 1;
    }

    /**
     * Gives building generation {@code id} up, saying why, and frees the rebuild lock, while
     * {@code reader} still reads its history; {@code false} if it was not building or another
     * reader took over.
     */
    boolean failReading(long id, String reader, String why) {
        return fail(Criteria.where("_id").is(id).and("history.reader").is(reader), id, why);
    }

    /** As {@link #failReading}, only once that reader's lease has run out. */
    boolean failAbandonedReading(long id, String reader, String why) {
        return fail(Criteria.where("_id").is(id).and("history.reader").is(reader).and("history.leaseUntil")
                .lt(clock.instant()), id, why);
    }

    private boolean fail(Criteria which, long id, String why) {
        if (mongo.updateFirst(Query.query(which.and("state").is(GenerationState.BUILDING)),
                new Update().set("state", GenerationState.FAILED).set("finishedAt", clock.instant()).set("note", why),
                COLLECTION).getMatchedCount() != 1) {
            return false;
        }
        release(id);
        return true;
    }

    /** Records a building generation's progress, while it still builds. */
    void recordProgress(long id, Generation.Progress progress, List<PartitionOffset> target, long skipped) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)
                        .and("state").in(GenerationState.BUILDING, GenerationState.READY)),
                new Update().set("progress", progress).set("catchUpTarget", target).set("skipped", skipped),
                COLLECTION);
    }

    /**
     * Records how reading the command side's history into building generation {@code id} went, if
     * {@code reader} still reads it; {@code false} when the generation ended or another took over.
     */
    boolean recordHistory(long id, Generation.History history) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("state").is(GenerationState.BUILDING)
                        .and("history.reader").is(history.reader()).and("history.done").is(false)),
                new Update().set("history", history), COLLECTION).getMatchedCount() == 1;
    }

    /**
     * Hands the reading of building generation {@code id}'s history from {@code stopped}, whose lease
     * ran out, to {@code next}; {@code false} if another instance took it over first, the reader
     * renewed its lease meanwhile, or the generation ended.
     */
    boolean takeOverHistory(long id, String stopped, Generation.History next) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("state").is(GenerationState.BUILDING)
                        .and("history.reader").is(stopped).and("history.done").is(false)
                        .and("history.leaseUntil").lt(clock.instant())),
                new Update().set("history", next), COLLECTION).getMatchedCount() == 1;
    }

    /** Marks that ops want generation {@code id} to switch in despite what it skipped. */
    boolean requestSwitch(long id) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(id)
                        .and("state").in(GenerationState.BUILDING, GenerationState.READY)),
                new Update().set("switchRequested", true), COLLECTION).getMatchedCount() == 1;
    }

    /** The switch itself: the pointer names {@code to} instead of {@code from}, and the rebuild lock is free. */
    boolean point(long from, long to) {
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(ActiveGeneration.ID).and("active").is(from)),
                new Update().set("active", to).set("rebuilding", false).unset("rebuildingSince"), POINTER)
                .getMatchedCount() == 1;
    }

    /** Frees the rebuild lock held for generation {@code id}, which will not switch. */
    void release(long id) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(ActiveGeneration.ID).and("rebuilding").is(true)
                        .and("lastGeneration").is(id)),
                new Update().set("rebuilding", false).unset("rebuildingSince"), POINTER);
    }

    void cleaned(long id) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("cleanedAt", clock.instant()),
                COLLECTION);
    }

    /** Forgets ended generations beyond the newest {@code keep}. */
    void forgetEnded(int keep) {
        List<Generation> ended = mongo.find(Query.query(Criteria.where("cleanedAt").ne(null))
                .with(Sort.by(Sort.Direction.DESC, "_id")), Generation.class, COLLECTION);
        ended.stream().skip(keep).forEach(old ->
                mongo.remove(Query.query(Criteria.where("_id").is(old.id())), COLLECTION));
    }

    Instant now() {
        return clock.instant();
    }
}

package io.ordercqrs.query.projection;

import com.mongodb.bulk.BulkWriteResult;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * One bulk of conditional single-document writes: each insert succeeds only if the document is
 * not there yet, each replace only if its guard field still holds the value it was read with.
 * What MongoDB and its stand-ins share without transactions: if another writer got there first,
 * {@link #execute()} says so and the caller reads again and re-applies.
 */
final class GuardedWrites {

    private static final int DUPLICATE_KEY = 11000;

    private final BulkOperations bulk;
    private int inserts;
    private int replaces;

    GuardedWrites(MongoTemplate mongo, Class<?> type, String collection) {
        this.bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type, collection);
    }

    GuardedWrites insert(Object document) {
        bulk.insert(document);
        inserts++;
        return this;
    }

    GuardedWrites replace(String id, String guardField, long expected, Object document) {
        bulk.replaceOne(Query.query(Criteria.where("_id").is(id).and(guardField).is(expected)), document);
        replaces++;
        return this;
    }

    /** Writes everything; {@code false} when some write lost to a concurrent writer. */
    boolean execute() {
        if (inserts + replaces == 0) {
            return true;
        }
        try {
            BulkWriteResult result = bulk.execute();
            return result.getInsertedCount() == inserts && result.getMatchedCount() == replaces;
        }
        catch (BulkOperationException e) {
            if (e.getErrors().stream().allMatch(error -> error.getCode() == DUPLICATE_KEY)) {
                return false;
            }
            throw e;
        }
        catch (org.springframework.dao.DuplicateKeyException e) {
            return false;
        }
    }
}

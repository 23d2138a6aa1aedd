package io.ordercqrs.query.projection;

import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/** The view store failed: nothing is wrong with the records, so they are retried until it is back. */
public class ViewStoreUnavailable extends BatchFailure {

    /** Server answers that mean "not now" (elections, shutdowns, time limits), not "never". */
    private static final Set<Integer> PASSING_ERRORS = Set.of(6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602,
            13435, 13436);

    ViewStoreUnavailable(Throwable cause) {
        super("The view store failed: " + cause.getMessage(), cause);
    }

    /** Whether {@code failure} is the store being unavailable for a while rather than refusing a write. */
    static boolean passing(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException || cause instanceof MongoSocketException
                    || cause instanceof MongoTimeoutException || cause instanceof MongoNotPrimaryException
                    || cause instanceof MongoNodeIsRecoveringException || cause instanceof MongoWriteConcernException) {
                return true;
            }
            if (cause instanceof MongoException mongo && (mongo.hasErrorLabel("RetryableWriteError")
                    || PASSING_ERRORS.contains(mongo.getCode()))) {
                return true;
            }
        }
        return false;
    }
}

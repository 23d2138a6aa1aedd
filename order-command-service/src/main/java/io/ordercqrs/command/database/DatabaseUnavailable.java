package io.ordercqrs.command.database;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure of PostgreSQL's availability (no connection within the pool's timeout, no answer
 * within the socket timeout, a connection lost, a transaction refused at commit for outliving its
 * budget) from a failure of the request itself. The first is answered 503 with {@code Retry-After}.
 */
public final class DatabaseUnavailable {

    /** Cancelled (the commit budget), server shutting down or restarting, too many connections. */
    private static final Set<String> STATES = Set.of("57014", "57P01", "57P02", "57P03", "53300");

    private DatabaseUnavailable() {
    }

    /** Whether the failure, or one of its causes, says PostgreSQL could not be reached in time. */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException || cause instanceof SQLTransientConnectionException
                    || cause instanceof SocketTimeoutException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}

package io.ordercqrs.command.web;

import io.ordercqrs.command.database.DatabaseUnavailable;
import io.ordercqrs.service.web.StandardProblemDetails;
import jakarta.persistence.PersistenceException;
import org.hibernate.exception.ConstraintViolationException;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The command side's problem details beside the shared ones of {@link StandardProblemDetails}:
 * stale versions, lost races, integrity violations, reused idempotency keys and a database that
 * did not answer in time. Each feature
 * answers its own domain refusals in an advice of its own, ahead of this one. No refusal has
 * changed anything: the command's transaction was rolled back.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends StandardProblemDetails {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final long RETRY_AFTER_SECONDS = 2;

    @ExceptionHandler(VersionMismatch.class)
    ResponseEntity<ProblemDetail> versionMismatch(VersionMismatch e) {
        ProblemDetail problem = problem(HttpStatus.PRECONDITION_FAILED, "version-mismatch",
                "The resource changed since you read it", e.getMessage());
        problem.setProperty("currentVersion", e.currentVersion());
        return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED).eTag(EntityTags.of(e.currentVersion()))
                .body(problem);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ProblemDetail lostRace(OptimisticLockingFailureException e) {
        return concurrentModification();
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail integrityViolation(DataIntegrityViolationException e) {
        String constraint = constraintName(e);
        if (constraint != null && constraint.startsWith("customers_email")) {
            return problem(HttpStatus.CONFLICT, "email-unavailable", "Email address not accepted",
                    "The email address cannot be used; choose another one");
        }
        if (constraint != null && (constraint.equals("outbox_aggregate_sequence_key") || constraint.endsWith("_pkey"))) {
            return concurrentModification();
        }
        log.warn("Unexpected integrity violation ({})", constraint, e);
        return problem(HttpStatus.CONFLICT, "conflict", "Conflict", "The request conflicts with existing data");
    }

    /**
     * PostgreSQL did not answer in time: 503 with {@code Retry-After}. Anything else the database
     * or the transaction refused unexpectedly is a 500.
     */
    @ExceptionHandler({TransactionException.class, DataAccessException.class, PersistenceException.class})
    ResponseEntity<ProblemDetail> databaseFailure(Exception e) {
        if (!DatabaseUnavailable.isCause(e)) {
            return ResponseEntity.internalServerError().body(unexpected(e));
        }
        log.warn("PostgreSQL did not answer in time: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                        "The database did not answer in time. Retry with the same Idempotency-Key: a command that "
                                + "was applied is answered as before, one that was not is applied once."));
    }

    @ExceptionHandler(IdempotencyKeyReused.class)
    ProblemDetail keyReused(IdempotencyKeyReused e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key reused",
                e.getMessage());
    }

    private static ProblemDetail concurrentModification() {
        return problem(HttpStatus.CONFLICT, "concurrent-modification", "Changed concurrently",
                "Another request changed this resource at the same time; reload it and try again");
    }

    private static String constraintName(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation && violation.getConstraintName() != null) {
                return violation.getConstraintName();
            }
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getConstraint();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}

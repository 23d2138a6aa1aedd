package io.ordercqrs.query.web;

import io.ordercqrs.query.admin.RebuildAlreadyRunning;
import io.ordercqrs.query.admin.ReplayNotPossible;
import io.ordercqrs.query.admin.ViewRebuilds;
import io.ordercqrs.query.deadletter.DeadLetterNotFound;
import io.ordercqrs.query.deadletter.DeadLetterNotOpen;
import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;

/** The query side's refusals as RFC 9457 problem details, beside the shared ones. */
@RestControllerAdvice
class QueryProblemDetails extends StandardProblemDetails {

    @ExceptionHandler(ViewNotFound.class)
    ProblemDetail notFound(ViewNotFound e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(DeadLetterNotFound.class)
    ProblemDetail noLetter(DeadLetterNotFound e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(DeadLetterNotOpen.class)
    ProblemDetail letterClosed(DeadLetterNotOpen e) {
        return problem(HttpStatus.CONFLICT, "dead-letter-not-open", "Dead letter not open", e.getMessage());
    }

    @ExceptionHandler(RestClientException.class)
    ProblemDetail commandServiceFailed(RestClientException e) {
        return problem(HttpStatus.BAD_GATEWAY, "command-service-unavailable", "The command service did not answer",
                e.getMessage());
    }

    @ExceptionHandler(ReplayNotPossible.class)
    ProblemDetail replayNotPossible(ReplayNotPossible e) {
        return problem(HttpStatus.CONFLICT, "replay-not-possible", "The source cannot re-derive the view",
                e.getMessage());
    }

    @ExceptionHandler(RebuildAlreadyRunning.class)
    ProblemDetail rebuildRunning(RebuildAlreadyRunning e) {
        return problem(HttpStatus.CONFLICT, "rebuild-already-running", "A rebuild is running", e.getMessage());
    }

    @ExceptionHandler(ViewRebuilds.NoRebuild.class)
    ProblemDetail noRebuild(ViewRebuilds.NoRebuild e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(ViewNotCaughtUp.class)
    ResponseEntity<ProblemDetail> notCaughtUp(ViewNotCaughtUp e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "view-not-caught-up",
                "The view has not caught up yet", e.getMessage());
        problem.setProperty("requestedVersion", e.requestedVersion());
        problem.setProperty("currentVersion", e.currentVersion());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }
}

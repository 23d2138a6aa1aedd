package io.ordercqrs.query.orderview;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The order views' answers to a version they have not reached, as problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderViewProblems {

    @ExceptionHandler(ViewNotCaughtUp.class)
    ResponseEntity<ProblemDetail> notCaughtUp(ViewNotCaughtUp e) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.SERVICE_UNAVAILABLE, "view-not-caught-up",
                "The view has not caught up yet", e.getMessage());
        problem.setProperty("requestedVersion", e.requestedVersion());
        problem.setProperty("currentVersion", e.currentVersion());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    @ExceptionHandler(ViewHeldBehindDeadLetter.class)
    ProblemDetail held(ViewHeldBehindDeadLetter e) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.CONFLICT, "view-held-behind-dead-letter",
                "The view is held behind a dead letter", e.getMessage());
        problem.setProperty("requestedVersion", e.requestedVersion());
        problem.setProperty("currentVersion", e.currentVersion());
        problem.setProperty("deadLetter", e.deadLetter());
        return problem;
    }

    @ExceptionHandler(TooManyWaiting.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyWaiting e) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.SERVICE_UNAVAILABLE, "too-many-waiting",
                "Too many queries are waiting", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }
}

package io.ordercqrs.query.web;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The query side's refusals as RFC 9457 problem details, beside the shared ones. */
@RestControllerAdvice
class QueryProblemDetails extends StandardProblemDetails {

    @ExceptionHandler(ViewNotFound.class)
    ProblemDetail notFound(ViewNotFound e) {
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

package io.ordercqrs.query.deadletter;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The dead letters' refusals as problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DeadLetterProblems {

    @ExceptionHandler(DeadLetterNotFound.class)
    ProblemDetail notFound(DeadLetterNotFound e) {
        return StandardProblemDetails.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(DeadLetterNotOpen.class)
    ProblemDetail closed(DeadLetterNotOpen e) {
        return StandardProblemDetails.problem(HttpStatus.CONFLICT, "dead-letter-not-open", "Dead letter not open",
                e.getMessage());
    }
}

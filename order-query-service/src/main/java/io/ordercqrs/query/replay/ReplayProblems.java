package io.ordercqrs.query.replay;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The replays' refusals as problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReplayProblems {

    @ExceptionHandler(ReplayNotPossible.class)
    ProblemDetail notPossible(ReplayNotPossible e) {
        return StandardProblemDetails.problem(HttpStatus.CONFLICT, "replay-not-possible",
                "The source cannot re-derive the view", e.getMessage());
    }
}

package io.ordercqrs.query.generation;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The rebuilds' refusals as problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class GenerationProblems {

    @ExceptionHandler(RebuildAlreadyRunning.class)
    ProblemDetail running(RebuildAlreadyRunning e) {
        return StandardProblemDetails.problem(HttpStatus.CONFLICT, "rebuild-already-running", "A rebuild is under way",
                e.getMessage());
    }

    @ExceptionHandler(RebuildAlreadySwitched.class)
    ProblemDetail switched(RebuildAlreadySwitched e) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.CONFLICT, "rebuild-already-switched",
                "The rebuild switched in already", e.getMessage());
        problem.setProperty("generation", e.generation());
        problem.setProperty("state", e.state().name());
        return problem;
    }

    @ExceptionHandler(NoRebuild.class)
    ProblemDetail none(NoRebuild e) {
        return StandardProblemDetails.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }
}

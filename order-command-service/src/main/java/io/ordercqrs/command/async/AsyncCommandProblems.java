package io.ordercqrs.command.async;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The command status resource's refusals as RFC 9457 problem details. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AsyncCommandRefusals {

    @ExceptionHandler(CommandNotFound.class)
    ProblemDetail notFound(CommandNotFound e) {
        return StandardProblemDetails.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }
}

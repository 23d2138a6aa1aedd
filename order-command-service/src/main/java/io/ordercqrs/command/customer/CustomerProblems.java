package io.ordercqrs.command.customer;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The customers' refusals as RFC 9457 problem details, each with its own type. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CustomerProblems {

    @ExceptionHandler(CustomerNotFound.class)
    ProblemDetail notFound(CustomerNotFound e) {
        return StandardProblemDetails.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(CustomerAlreadyRegistered.class)
    ProblemDetail alreadyRegistered(CustomerAlreadyRegistered e) {
        return StandardProblemDetails.problem(HttpStatus.CONFLICT, "customer-already-registered", "Already registered",
                e.getMessage());
    }

    @ExceptionHandler(EmailAlreadyRegistered.class)
    ProblemDetail emailTaken(EmailAlreadyRegistered e) {
        // Neither the address nor whose it is: the answer must not confirm another customer has it.
        return StandardProblemDetails.problem(HttpStatus.CONFLICT, "email-unavailable", "Email address not accepted",
                e.getMessage());
    }
}

package io.ordercqrs.command.order;

import io.ordercqrs.service.web.StandardProblemDetails;
import io.ordercqrs.service.web.StandardProblemDetails.FieldProblem;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The orders' refusals as RFC 9457 problem details, each named for the rule it enforces. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderProblems {

    @ExceptionHandler(OrderNotFound.class)
    ProblemDetail notFound(OrderNotFound e) {
        return StandardProblemDetails.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(PaymentDoesNotMatchTotal.class)
    ProblemDetail paymentMismatch(PaymentDoesNotMatchTotal e) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.UNPROCESSABLE_CONTENT,
                "payment-does-not-match-total", "Payment does not match the total", e.getMessage());
        problem.setProperty("errors", List.of(new FieldProblem("amount", e.getMessage())));
        return problem;
    }

    @ExceptionHandler(OrderRuleViolation.class)
    ProblemDetail orderRule(OrderRuleViolation e) {
        String slug = StandardProblemDetails.kebab(e.getClass().getSimpleName());
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.CONFLICT, slug,
                "The order's state does not allow this", e.getMessage());
        problem.setProperty("orderId", e.orderId().toString());
        problem.setProperty("orderStatus", e.status().name());
        return problem;
    }

    @ExceptionHandler(UnknownCustomer.class)
    ProblemDetail unknownCustomer(UnknownCustomer e) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-customer",
                "Unknown customer", e.getMessage());
        problem.setProperty("errors", List.of(new FieldProblem("customerId", "is not a registered customer")));
        return problem;
    }
}

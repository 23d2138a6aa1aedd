package io.ordercqrs.command.web;

import io.ordercqrs.command.customer.CustomerAlreadyRegistered;
import io.ordercqrs.command.customer.CustomerNotFound;
import io.ordercqrs.command.customer.EmailAlreadyRegistered;
import io.ordercqrs.command.order.OrderNotFound;
import io.ordercqrs.command.order.OrderRuleViolation;
import io.ordercqrs.command.order.PaymentDoesNotMatchTotal;
import io.ordercqrs.command.order.UnknownCustomer;
import io.ordercqrs.command.security.OperationNotPermitted;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Answers every refusal as an RFC 9457 problem detail: domain refusals with their own type, bad
 * input with the list of fields that were wrong ({@code errors}), framework errors in the same
 * shape. No refusal has changed anything: the command's transaction was rolled back.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    static final String TYPE_BASE = "https://ordercqrs.io/problems/";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler({OrderNotFound.class, CustomerNotFound.class})
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(PaymentDoesNotMatchTotal.class)
    ProblemDetail paymentMismatch(PaymentDoesNotMatchTotal e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "payment-does-not-match-total",
                "Payment does not match the total", e.getMessage());
        problem.setProperty("errors", List.of(new FieldProblem("amount", e.getMessage())));
        return problem;
    }

    @ExceptionHandler(OrderRuleViolation.class)
    ProblemDetail orderRule(OrderRuleViolation e) {
        String slug = kebab(e.getClass().getSimpleName());
        ProblemDetail problem = problem(HttpStatus.CONFLICT, slug, "The order's state does not allow this",
                e.getMessage());
        problem.setProperty("orderId", e.orderId().toString());
        problem.setProperty("orderStatus", e.status().name());
        return problem;
    }

    @ExceptionHandler(UnknownCustomer.class)
    ProblemDetail unknownCustomer(UnknownCustomer e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-customer", "Unknown customer",
                e.getMessage());
        problem.setProperty("errors", List.of(new FieldProblem("customerId", "is not a registered customer")));
        return problem;
    }

    @ExceptionHandler({CustomerAlreadyRegistered.class, EmailAlreadyRegistered.class})
    ProblemDetail alreadyRegistered(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, kebab(e.getClass().getSimpleName()), "Already registered", e.getMessage());
    }

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
            return problem(HttpStatus.CONFLICT, "email-already-registered", "Already registered",
                    "The email address belongs to another customer");
        }
        if (constraint != null && (constraint.equals("outbox_aggregate_sequence_key") || constraint.endsWith("_pkey"))) {
            return concurrentModification();
        }
        log.warn("Unexpected integrity violation ({})", constraint, e);
        return problem(HttpStatus.CONFLICT, "conflict", "Conflict", "The request conflicts with existing data");
    }

    @ExceptionHandler(IdempotencyKeyReused.class)
    ProblemDetail keyReused(IdempotencyKeyReused e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key reused",
                e.getMessage());
    }

    @ExceptionHandler(InvalidRequest.class)
    ProblemDetail invalidRequest(InvalidRequest e) {
        return invalid(List.of(new FieldProblem(e.field(), e.reason())));
    }

    @ExceptionHandler(OperationNotPermitted.class)
    ProblemDetail notPermitted(OperationNotPermitted e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Request failed unexpectedly; its transaction was rolled back", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The request failed and changed nothing. It is safe to retry.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value" : "a valid " + e.getRequiredType().getSimpleName();
        return invalid(List.of(new FieldProblem(e.getName(), "must be " + expected)));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors()
                .forEach(error -> errors.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        errors.sort(Comparator.comparing(FieldProblem::field));
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(new FieldProblem(result.getMethodParameter().getParameterName(),
                        error.getDefaultMessage()))));
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getCause();
        FieldProblem error;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            error = new FieldProblem(path(unknown), "is not a known field");
        }
        else if (cause instanceof InvalidFormatException format) {
            error = new FieldProblem(path(format), "must be a valid " + format.getTargetType().getSimpleName());
        }
        else if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            error = new FieldProblem(path(mismatch), "has the wrong type");
        }
        else if (cause instanceof StreamReadException malformed) {
            error = new FieldProblem("body", "is not well-formed JSON: " + malformed.getOriginalMessage());
        }
        else {
            error = new FieldProblem("body", "is missing or not readable as JSON");
        }
        return ResponseEntity.badRequest().body(invalid(List.of(error)));
    }

    private static ProblemDetail concurrentModification() {
        return problem(HttpStatus.CONFLICT, "concurrent-modification", "Changed concurrently",
                "Another request changed this resource at the same time; reload it and try again");
    }

    private static ProblemDetail invalid(List<FieldProblem> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "The request has " + errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s") + ": "
                        + String.join(", ", errors.stream().map(FieldProblem::field).toList()));
        problem.setProperty("errors", errors);
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(title);
        return problem;
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String kebab(String className) {
        return className.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
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

    /** One invalid input: its path (such as {@code lines[0].quantity}) and what is wrong with it. */
    record FieldProblem(String field, String message) {
    }
}

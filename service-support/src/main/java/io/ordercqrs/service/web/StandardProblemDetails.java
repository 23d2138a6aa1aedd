package io.ordercqrs.service.web;

import io.ordercqrs.service.security.OperationNotPermitted;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
 * The problem details both services answer with, whatever the domain: bad input with the list of
 * fields that were wrong ({@code errors}), a role that does not allow the operation, and a generic
 * 500 that leaks nothing. Each service's {@code @RestControllerAdvice} extends this with its own
 * refusals.
 */
public abstract class StandardProblemDetails extends ResponseEntityExceptionHandler {

    public static final String TYPE_BASE = "https://ordercqrs.io/problems/";

    private static final Logger log = LoggerFactory.getLogger(StandardProblemDetails.class);

    @ExceptionHandler(InvalidRequest.class)
    ProblemDetail invalidRequest(InvalidRequest e) {
        return invalid(List.of(new FieldProblem(e.field(), e.reason())));
    }

    @ExceptionHandler(OperationNotPermitted.class)
    ProblemDetail notPermitted(OperationNotPermitted e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value" : "a valid " + e.getRequiredType().getSimpleName();
        return invalid(List.of(new FieldProblem(e.getName(), "must be " + expected)));
    }

    @ExceptionHandler(Exception.class)
    protected ProblemDetail unexpected(Exception e) {
        log.error("Request failed unexpectedly", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The request failed and changed nothing. It is safe to retry.");
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
        // One entry per field, with every reason it failed.
        Map<String, String> byField = new TreeMap<>();
        errors.forEach(error -> byField.merge(error.field(), error.message(), (first, more) -> first.equals(more) ? first
                : first + "; " + more));
        List<FieldProblem> merged = new ArrayList<>();
        byField.forEach((field, reason) -> merged.add(new FieldProblem(field, reason)));
        return ResponseEntity.badRequest().body(invalid(merged));
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
        for (Throwable tooLarge = e; tooLarge != null; tooLarge = tooLarge.getCause()) {
            if (tooLarge instanceof RequestBodyLimit.TooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem(HttpStatus.CONTENT_TOO_LARGE,
                        "request-too-large", "Request too large", tooLarge.getMessage()));
            }
        }
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

    /** A 400 naming each invalid field. */
    protected static ProblemDetail invalid(List<FieldProblem> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "The request has " + errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s") + ": "
                        + String.join(", ", errors.stream().map(FieldProblem::field).toList()));
        problem.setProperty("errors", errors);
        return problem;
    }

    /** A problem of type {@code https://ordercqrs.io/problems/<slug>}. */
    public static ProblemDetail problem(HttpStatus status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(title);
        return problem;
    }

    /** The kebab-case slug of an exception class, such as {@code order-already-shipped}. */
    public static String kebab(String className) {
        return className.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
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

    /** One invalid input: its path (such as {@code lines[0].quantity}) and what is wrong with it. */
    public record FieldProblem(String field, String message) {
    }
}

package io.ordercqrs.query.web;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;

/**
 * The query side's problem details beside the shared ones; each feature answers its own refusals
 * in an advice of its own, ahead of this one.
 */
@RestControllerAdvice
class QueryProblemDetails extends StandardProblemDetails {

    @ExceptionHandler(ViewNotFound.class)
    ProblemDetail notFound(ViewNotFound e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    /** The command service answered that what was asked for does not exist: so does this service. */
    @ExceptionHandler(HttpClientErrorException.NotFound.class)
    ProblemDetail commandServiceNotFound(HttpClientErrorException.NotFound e) {
        String detail = "The command service has no such item";
        try {
            ProblemDetail answered = e.getResponseBodyAs(ProblemDetail.class);
            if (answered != null && answered.getDetail() != null) {
                detail = answered.getDetail();
            }
        }
        catch (RuntimeException unreadable) {
            // keep the generic detail
        }
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
    }

    @ExceptionHandler(RestClientException.class)
    ProblemDetail commandServiceFailed(RestClientException e) {
        return problem(HttpStatus.BAD_GATEWAY, "command-service-unavailable", "The command service did not answer",
                e.getMessage());
    }
}

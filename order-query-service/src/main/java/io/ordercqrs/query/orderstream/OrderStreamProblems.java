package io.ordercqrs.query.orderstream;

import io.ordercqrs.service.web.StandardProblemDetails;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The streams' refusals, as problem details. */
@RestControllerAdvice
class OrderStreamProblems {

    @ExceptionHandler(TooManyStreams.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyStreams e) {
        ProblemDetail problem = StandardProblemDetails.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams",
                "Too many order streams", e.getMessage());
        problem.setProperty("limit", e.limit());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

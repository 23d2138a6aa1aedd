package io.ordercqrs.query.generation;

import io.ordercqrs.query.projection.BatchFailure;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;

/**
 * What a reader of the command side's history tries again, and how often: a page the command side
 * did not answer (it restarts, the network drops), and a page whose apply failed for the whole batch
 * (the view store unavailable for a moment), each up to three attempts with a growing pause. A
 * request the command side refused (an expired or too weak token) and an event that cannot be
 * applied are not tried again: the rebuild fails with the reason.
 */
final class HistoryRetries {

    private static final Logger log = LoggerFactory.getLogger(HistoryRetries.class);
    private static final int RETRIES = 2;

    private final RetryTemplate reads;
    private final RetryTemplate applies;

    /** Pauses of {@code firstPause}, then twice that. */
    HistoryRetries(Duration firstPause) {
        this.reads = template(firstPause, failure -> failure instanceof RestClientException
                && !(failure instanceof HttpClientErrorException), "Reading the command side's history");
        this.applies = template(firstPause, BatchFailure.class::isInstance,
                "Applying a page of the command side's history");
    }

    /** Reads a page, trying again while the command side does not answer. */
    <T> T read(Supplier<T> page) {
        return reads.invoke(page);
    }

    /** Applies a page, trying again while the failure is not about one of its events. */
    <T> T apply(Supplier<T> page) {
        return applies.invoke(page);
    }

    private static RetryTemplate template(Duration firstPause, Predicate<Throwable> retried, String what) {
        RetryTemplate template = new RetryTemplate(RetryPolicy.builder().maxRetries(RETRIES).delay(firstPause)
                .multiplier(2).predicate(retried).build());
        template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                log.warn("{} failed, trying again: {}", what, state.getLastException().getMessage());
            }
        });
        return template;
    }
}

package io.ordercqrs.query.projection;

import io.ordercqrs.events.wire.CloudEventHeaders;
import io.ordercqrs.events.wire.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The projections' error path, one handler per set of views: a failing record is retried with
 * exponential backoff, then parked as a dead letter of those views with its attempt count, and the
 * partition moves on. A failure that is not about one record ({@link BatchFailure}) parks nothing:
 * the batch waits and retries without limit.
 */
@Component
public class ProjectionErrorHandlers {

    private static final Logger log = LoggerFactory.getLogger(ProjectionErrorHandlers.class);
    /** The logging context key of the trace id, as Spring Boot's log correlation prints it. */
    private static final String TRACE_ID = "traceId";

    private final DeadLetterGate deadLetters;
    private final ProjectionMetrics metrics;
    private final ProjectionSettings settings;

    ProjectionErrorHandlers(DeadLetterGate deadLetters, ProjectionMetrics metrics, ProjectionSettings settings) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** The error handler of the consumers that project into {@code views}. */
    public DefaultErrorHandler forViews(ViewSet views) {
        ExponentialBackOffWithMaxRetries retries = new ExponentialBackOffWithMaxRetries(settings.maxAttempts() - 1);
        retries.setInitialInterval(settings.initialBackoff().toMillis());
        retries.setMultiplier(2);
        retries.setMaxInterval(settings.maxBackoff().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            Throwable cause = rootOf(exception);
            @SuppressWarnings("unchecked")
            var failed = (ConsumerRecord<String, byte[]>) record;
            DeadLetterGate.ParkedRecord parked = deadLetters.park(views, failed, cause, settings.maxAttempts());
            // What is logged about the record joins the log lines of the command that caused it.
            String traceId = EventEnvelope.traceIdOf(CloudEventHeaders.get(failed.headers(),
                    CloudEventHeaders.TRACEPARENT));
            if (traceId != null) {
                MDC.put(TRACE_ID, traceId);
            }
            try {
                if (parked.open()) {
                    metrics.parked();
                    log.warn("Parked {} as a dead letter after {} attempts: {}", parked.letterId(),
                            settings.maxAttempts(), cause.getMessage());
                }
                else {
                    log.info("Skipped {}: ops discarded it before", parked.letterId());
                }
            }
            finally {
                if (traceId != null) {
                    MDC.remove(TRACE_ID);
                }
            }
        }, retries);
        handler.setBackOffFunction((record, exception) -> {
            Throwable cause = rootOf(exception);
            if (cause instanceof BatchFailure) {
                ExponentialBackOff untilItWorks = new ExponentialBackOff(settings.initialBackoff().toMillis(), 2);
                untilItWorks.setMaxInterval(settings.maxBackoff().toMillis());
                return untilItWorks;
            }
            return null;
        });
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    /** The failure itself, without the listener's wrappers around it. */
    private static Throwable rootOf(Throwable exception) {
        Throwable cause = exception;
        while ((cause instanceof ListenerExecutionFailedException || cause instanceof BatchListenerFailedException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

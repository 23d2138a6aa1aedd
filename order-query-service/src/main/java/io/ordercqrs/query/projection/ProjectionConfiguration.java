package io.ordercqrs.query.projection;

import io.ordercqrs.query.deadletter.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The projections' error path: a failing record is retried with exponential backoff, then parked
 * as a dead letter with its attempt count, and the partition moves on. While the view store is
 * unreachable, nothing is parked: the batch waits and retries without limit.
 */
@Configuration(proxyBeanMethods = false)
class ProjectionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProjectionConfiguration.class);

    @Bean
    DefaultErrorHandler projectionErrorHandler(DeadLetters deadLetters, ProjectionMetrics metrics,
            ProjectionSettings settings) {
        ExponentialBackOffWithMaxRetries retries = new ExponentialBackOffWithMaxRetries(settings.maxAttempts() - 1);
        retries.setInitialInterval(settings.initialBackoff().toMillis());
        retries.setMultiplier(2);
        retries.setMaxInterval(settings.maxBackoff().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            Throwable cause = rootOf(exception);
            @SuppressWarnings("unchecked")
            var failed = (ConsumerRecord<String, byte[]>) record;
            var letter = deadLetters.park(failed, cause, settings.maxAttempts());
            metrics.parked();
            log.warn("Parked {} as a dead letter after {} attempts: {}", letter.id(), settings.maxAttempts(),
                    cause.getMessage());
        }, retries);
        handler.setBackOffFunction((record, exception) -> {
            if (rootOf(exception) instanceof ViewStoreUnavailable) {
                ExponentialBackOff untilBack = new ExponentialBackOff(settings.initialBackoff().toMillis(), 2);
                untilBack.setMaxInterval(settings.maxBackoff().toMillis());
                return untilBack;
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

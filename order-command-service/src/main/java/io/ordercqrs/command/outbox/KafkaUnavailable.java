package io.ordercqrs.command.outbox;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;

/** Kafka did not take or acknowledge records: a relay throws its producer away and starts over. */
final class KafkaUnavailable extends RuntimeException {

    KafkaUnavailable(Throwable cause) {
        super("Kafka did not take or acknowledge records: " + cause.getClass().getSimpleName() + ": "
                + cause.getMessage(), cause);
    }

    /** The failure Kafka's wrappers hide. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof KafkaException && !(cause instanceof ApiException)
                        || cause instanceof CompletionException || cause instanceof ExecutionException)) {
            cause = cause.getCause();
        }
        return cause;
    }
}

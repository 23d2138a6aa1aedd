package io.ordercqrs.query.projection;

import io.ordercqrs.events.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Consumes both event topics in batches into the live views. Offsets are committed after the
 * batch's view writes; a failing record is handed to the error handler by its index, which commits
 * what came before it, retries it with backoff and finally parks it (see {@link ProjectionConfiguration}).
 * When MongoDB itself fails, the whole batch waits and is retried for as long as it takes.
 */
@Component
public class ProjectionListener {

    /** The live consumers' listener id, for pausing them around a rebuild's switch. */
    public static final String ID = "projections";

    private final EventProjection projection;

    ProjectionListener(EventProjection projection) {
        this.projection = projection;
    }

    @KafkaListener(id = ID, topics = {Topics.CUSTOMER_EVENTS, Topics.ORDER_EVENTS}, batch = "true",
            concurrency = "${ordercqrs.projection.concurrency:3}")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        EventProjection.Outcome outcome;
        try {
            outcome = projection.project(records, ViewCollections.LIVE, true);
        }
        catch (DataAccessException storeFailure) {
            throw new BatchListenerFailedException("The view store failed", new ViewStoreUnavailable(storeFailure), 0);
        }
        if (outcome.failed()) {
            EventProjection.Failure failure = outcome.failure();
            throw new BatchListenerFailedException(failure.cause().getMessage(), failure.cause(), failure.index());
        }
    }
}

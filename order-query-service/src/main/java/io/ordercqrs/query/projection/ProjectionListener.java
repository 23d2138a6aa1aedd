package io.ordercqrs.query.projection;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Consumes batches of both event topics into one set of views. Offsets are committed after the
 * batch's writes; a failing record is handed to the error handler by its index, which commits what
 * came before it, retries it with backoff and finally parks it (see {@link ProjectionErrorHandlers}).
 * A failure that is not about one record ({@link BatchFailure}) retries the batch for as long as it
 * takes and parks nothing.
 */
public final class ProjectionListener implements BatchMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(ProjectionListener.class);

    private final EventProjection projection;
    private final ViewSet views;

    public ProjectionListener(EventProjection projection, ViewSet views) {
        this.projection = projection;
        this.views = views;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        EventProjection.Outcome outcome;
        try {
            outcome = projection.project(records, views, Delivery.IN_ORDER);
        }
        catch (BatchFailure notAboutARecord) {
            log.warn("Batch of {} records into {} is retried: {}", records.size(), views, notAboutARecord.getMessage());
            throw new BatchListenerFailedException(notAboutARecord.getMessage(), notAboutARecord, 0);
        }
        EventProjection.Failure failure = outcome.failure();
        if (failure != null) {
            throw new BatchListenerFailedException(failure.cause().getMessage(), failure.cause(), failure.index());
        }
    }
}

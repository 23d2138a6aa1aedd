package io.ordercqrs.query.projection;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.ordercqrs.events.wire.CloudEventHeaders;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * Consumes batches of both event topics into one set of views. Offsets are committed after the
 * batch's writes; a failing record is handed to the error handler by its index, which commits what
 * came before it, retries it with backoff and finally parks it (see {@link ProjectionErrorHandlers}).
 * A failure that is not about one record ({@link BatchFailure}) retries the batch for as long as it
 * takes and parks nothing.
 *
 * <p>While these views are the ones queries read, each record with a {@code traceparent} header is
 * observed ({@value #OBSERVATION}) from the start of its batch until the batch is written,
 * continuing that trace, so the projection shows up as a span in the trace of the command that
 * caused the event. A generation being built re-projects history and adds nothing to old traces.
 */
public final class ProjectionListener implements BatchMessageListener<String, byte[]> {

    /** The name of each record's observation. */
    public static final String OBSERVATION = "ordercqrs.projection.record";

    private static final Logger log = LoggerFactory.getLogger(ProjectionListener.class);

    private final EventProjection projection;
    private final ViewSet views;
    private final ObservationRegistry observations;
    private final String groupId;
    private final BooleanSupplier served;

    /**
     * @param served whether {@code views} are the ones queries read now (only then are records observed)
     */
    public ProjectionListener(EventProjection projection, ViewSet views, ObservationRegistry observations,
            String groupId, BooleanSupplier served) {
        this.projection = projection;
        this.views = views;
        this.observations = observations;
        this.groupId = groupId;
        this.served = served;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        List<Observation> observed = observations.isNoop() || !served.getAsBoolean() ? List.of()
                : records.stream().filter(ProjectionListener::traced).map(this::observe).toList();
        try {
            project(records);
        }
        catch (RuntimeException failed) {
            observed.forEach(observation -> observation.error(failed));
            throw failed;
        }
        finally {
            observed.forEach(Observation::stop);
        }
    }

    private void project(List<ConsumerRecord<String, byte[]>> records) {
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

    private static boolean traced(ConsumerRecord<String, byte[]> record) {
        return record.headers().lastHeader(CloudEventHeaders.TRACEPARENT) != null;
    }

    private Observation observe(ConsumerRecord<String, byte[]> record) {
        Observation observation = Observation.createNotStarted(OBSERVATION, () -> new KafkaRecordReceiverContext(
                record, views.toString(), "projection-g" + views.generation(), groupId, () -> null), observations);
        String type = CloudEventHeaders.get(record.headers(), CloudEventHeaders.TYPE);
        return observation.contextualName("project " + (type == null ? record.topic() : type))
                .lowCardinalityKeyValue("topic", record.topic())
                .highCardinalityKeyValue("generation", Long.toString(views.generation()))
                .start();
    }
}

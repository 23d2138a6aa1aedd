package io.ordercqrs.query.generation;

import io.micrometer.observation.ObservationRegistry;
import io.ordercqrs.events.Topics;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ProjectionErrorHandlers;
import io.ordercqrs.query.projection.ProjectionListener;
import io.ordercqrs.query.projection.ProjectionSettings;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.stereotype.Component;

/**
 * This instance's consumers, one container per generation that is consumed, each in the
 * generation's own consumer group, so Kafka spreads every generation's partitions over all
 * instances and hands an instance's partitions to the others when it goes.
 */
@Component
class GenerationConsumers {

    private static final Logger log = LoggerFactory.getLogger(GenerationConsumers.class);

    private final ConcurrentKafkaListenerContainerFactory<?, ?> factory;
    private final EventProjection projection;
    private final ProjectionErrorHandlers errorHandlers;
    private final ProjectionSettings projectionSettings;
    private final GenerationSettings settings;
    private final ObservationRegistry observations;
    private final ActiveViews active;
    private final Map<Long, ConcurrentMessageListenerContainer<String, byte[]>> running = new HashMap<>();

    GenerationConsumers(ConcurrentKafkaListenerContainerFactory<?, ?> factory, EventProjection projection,
            ProjectionErrorHandlers errorHandlers, ProjectionSettings projectionSettings, GenerationSettings settings,
            ObservationRegistry observations, ActiveViews active) {
        this.factory = factory;
        this.projection = projection;
        this.errorHandlers = errorHandlers;
        this.projectionSettings = projectionSettings;
        this.settings = settings;
        this.observations = observations;
        this.active = active;
    }

    /** Runs a consumer for each of {@code generations} and for nothing else. */
    synchronized void follow(Collection<Generation> generations) {
        Set<Long> wanted = new TreeSet<>();
        for (Generation generation : generations) {
            wanted.add(generation.id());
            if (!running.containsKey(generation.id())) {
                running.put(generation.id(), start(generation));
            }
        }
        for (Long id : Set.copyOf(running.keySet())) {
            if (!wanted.contains(id)) {
                log.info("Stopping the consumers of view generation {}", id);
                running.remove(id).stop();
            }
        }
    }

    synchronized Set<Long> running() {
        return Set.copyOf(running.keySet());
    }

    /** Stops every consumer; each leaves its group, so its partitions move to other instances at once. */
    synchronized void stopAll() {
        running.values().forEach(ConcurrentMessageListenerContainer::stop);
        running.clear();
    }

    private ConcurrentMessageListenerContainer<String, byte[]> start(Generation generation) {
        projection.prepare(generation.views());
        @SuppressWarnings("unchecked")
        ConcurrentMessageListenerContainer<String, byte[]> container = (ConcurrentMessageListenerContainer<String, byte[]>)
                factory.createContainer(Topics.CUSTOMER_EVENTS, Topics.ORDER_EVENTS);
        ContainerProperties properties = container.getContainerProperties();
        properties.setGroupId(generation.groupId());
        properties.setClientId("projection-g" + generation.id());
        properties.setMessageListener(new ProjectionListener(projection, generation.views(), observations,
                generation.groupId(), () -> active.current().equals(generation.views())));
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.batchSize()));
        if (settings.instanceId() != null) {
            // Spring Kafka appends each consumer's index, so the ids stay unique with concurrency > 1.
            consumer.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId() + "-g" + generation.id());
        }
        properties.setKafkaConsumerProperties(consumer);
        container.setConcurrency(projectionSettings.concurrency());
        container.setCommonErrorHandler(errorHandlers.forViews(generation.views()));
        container.setBeanName("projection-g" + generation.id());
        container.start();
        log.info("Consuming for view generation {} ({}) in group {}", generation.id(), generation.state(),
                generation.groupId());
        return container;
    }
}

package io.ordercqrs.service.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The event topics at {@code /actuator/health/topics}: each topic's partitions beside the
 * configured count, with a warning where they differ. It is UNKNOWN until the topics could be set
 * up (Kafka unreachable so far) and never DOWN: a differing partition count needs ops, not a restart.
 */
public class TopicHealthIndicator implements HealthIndicator {

    private final EventTopicSetup setup;

    public TopicHealthIndicator(EventTopicSetup setup) {
        this.setup = setup;
    }

    @Override
    public Health health() {
        if (!setup.isReady()) {
            return Health.unknown().withDetail("error", String.valueOf(setup.lastError())).build();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (EventTopicSetup.TopicState topic : setup.topics()) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("partitions", topic.partitions());
            if (topic.partitionsDiffer()) {
                state.put("warning", "configured for " + topic.configured() + " partitions; partitions are never "
                        + "changed automatically (see docs/OPERATIONS.md, re-partitioning)");
            }
            details.put(topic.name(), state);
        }
        return Health.up().withDetails(details).build();
    }
}

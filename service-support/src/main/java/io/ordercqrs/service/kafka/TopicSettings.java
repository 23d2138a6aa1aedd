package io.ordercqrs.service.kafka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the event topics are created, under {@code ordercqrs.topics}. The application creates them
 * itself and does not rely on broker auto-creation.
 *
 * @param partitions        partitions per topic; they bound how many query-side consumers work in parallel
 * @param replicationFactor copies of each partition
 * @param retention         how long Kafka keeps events; negative keeps them forever (the default, so
 *                          views can always be rebuilt from the topics)
 * @param configs           further topic configs, such as {@code min.insync.replicas}
 */
@Validated
@ConfigurationProperties("ordercqrs.topics")
public record TopicSettings(
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("-1ms") @NotNull Duration retention,
        Map<String, String> configs) {

    public TopicSettings {
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }
}

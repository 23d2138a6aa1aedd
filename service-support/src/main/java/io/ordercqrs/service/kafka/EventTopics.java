package io.ordercqrs.service.kafka;

import io.ordercqrs.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares the event topics with the configured partitions, replication and retention, so they
 * exist whichever service starts first and nobody relies on broker auto-creation. With
 * {@code spring.kafka.admin.modify-topic-configs} an existing topic is brought to these settings.
 */
@AutoConfiguration
@ConditionalOnClass(KafkaAdmin.class)
@EnableConfigurationProperties(TopicSettings.class)
public class EventTopics {

    @Bean
    KafkaAdmin.NewTopics eventTopics(TopicSettings settings) {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream().map(name -> topic(name, settings)).toArray(NewTopic[]::new));
    }

    static NewTopic topic(String name, TopicSettings settings) {
        TopicBuilder builder = TopicBuilder.name(name)
                .partitions(settings.partitions())
                .replicas(settings.replicationFactor())
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().isNegative() ? -1
                        : settings.retention().toMillis()));
        settings.configs().forEach(builder::config);
        return builder.build();
    }
}

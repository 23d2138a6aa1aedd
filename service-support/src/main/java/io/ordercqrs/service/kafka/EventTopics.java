package io.ordercqrs.service.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Sets the event topics up at start-up (see {@link EventTopicSetup}) and reports them at
 * {@code /actuator/health/topics}, and Kafka itself at {@code /actuator/health/kafka} (see
 * {@link KafkaHealth}).
 */
@AutoConfiguration
@ConditionalOnClass(KafkaAdmin.class)
@EnableConfigurationProperties(TopicSettings.class)
public class EventTopics {

    @Bean
    EventTopicSetup eventTopicSetup(KafkaAdmin kafkaAdmin, TopicSettings settings) {
        return new EventTopicSetup(kafkaAdmin.getConfigurationProperties(), settings);
    }

    @Bean("kafka")
    KafkaHealth kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        return new KafkaHealth(kafkaAdmin.getConfigurationProperties());
    }

    @Bean("topics")
    TopicHealthIndicator topicHealthIndicator(EventTopicSetup setup) {
        return new TopicHealthIndicator(setup);
    }
}

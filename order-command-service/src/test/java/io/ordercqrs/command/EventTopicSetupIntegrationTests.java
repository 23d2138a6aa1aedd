package io.ordercqrs.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.events.Topics;
import io.ordercqrs.service.kafka.EventTopicSetup;
import io.ordercqrs.service.kafka.TopicHealthIndicator;
import io.ordercqrs.service.kafka.TopicSettings;
import io.ordercqrs.testsupport.RealServers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The event topics against a real Kafka: created when missing, never re-partitioned. */
class EventTopicSetupIntegrationTests {

    final Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            RealServers.get().kafkaBootstrapServers());

    @Test
    void neverAddsPartitionsToAnExistingTopicAndSaysSoInHealth() throws Exception {
        new EventTopicSetup(admin, new TopicSettings(6, (short) 1, Duration.ofMillis(-1), Map.of())).ensure();
        int before = partitions(Topics.ORDER_EVENTS);

        EventTopicSetup setup = new EventTopicSetup(admin,
                new TopicSettings(before * 2, (short) 1, Duration.ofMillis(-1), Map.of()));

        assertThat(setup.ensure()).isTrue();
        assertThat(partitions(Topics.ORDER_EVENTS)).as("keys stay on their partitions").isEqualTo(before);
        assertThat(setup.topics()).filteredOn(topic -> topic.name().equals(Topics.ORDER_EVENTS)).singleElement()
                .satisfies(topic -> assertThat(topic.partitionsDiffer()).isTrue());
        var health = new TopicHealthIndicator(setup).health();
        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails().get(Topics.ORDER_EVENTS).toString()).contains("never changed automatically");
    }

    @Test
    void reportsUnknownWhileKafkaCannotBeReached() {
        EventTopicSetup setup = new EventTopicSetup(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000),
                new TopicSettings(6, (short) 1, Duration.ofMillis(-1), Map.of()));

        assertThat(setup.ensure()).isFalse();
        assertThat(new TopicHealthIndicator(setup).health().getStatus().getCode()).isEqualTo("UNKNOWN");
    }

    private int partitions(String topic) throws Exception {
        try (Admin client = Admin.create(admin)) {
            return client.describeTopics(java.util.List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        }
    }
}

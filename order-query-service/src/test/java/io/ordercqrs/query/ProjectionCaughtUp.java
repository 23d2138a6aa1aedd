package io.ordercqrs.query;

import io.ordercqrs.events.Topics;
import io.ordercqrs.testsupport.RealServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * Waits until a consumer group has committed everything published to the event topics so far:
 * for tests that compare the views before and after, while events other tests published may still
 * be on their way into these views.
 */
public final class ProjectionCaughtUp {

    private ProjectionCaughtUp() {
    }

    /** Waits (at most 30 s) until {@code group} committed every partition's end offset as of now. */
    public static void await(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealServers.get().kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS).values()
                    .forEach(topic -> topic.partitions().forEach(partition -> latest.put(
                            new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((partition, offset) -> end.put(partition, offset.offset()));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                return end.entrySet().stream().allMatch(partition -> partition.getValue() == 0
                        || committed.get(partition.getKey()) != null
                        && committed.get(partition.getKey()).offset() >= partition.getValue());
            });
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not read the offsets of " + group, e);
        }
    }
}

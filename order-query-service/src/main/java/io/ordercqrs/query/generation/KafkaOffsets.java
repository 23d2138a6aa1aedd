package io.ordercqrs.query.generation;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * What the generations need to know from Kafka: the topics' earliest and end offsets, what a
 * generation's consumer group has committed, and removing the group of a generation that ended.
 */
@Component
class KafkaOffsets implements DisposableBean {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;

    KafkaOffsets(KafkaAdmin kafkaAdmin) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "order-query-service-generations");
        this.admin = Admin.create(config);
    }

    /** The earliest offset of every partition of {@code topics}. */
    Map<TopicPartition, Long> earliest(Collection<String> topics) {
        return offsets(topics, OffsetSpec.earliest());
    }

    /** The end offset of every partition of {@code topics}. */
    Map<TopicPartition, Long> end(Collection<String> topics) {
        return offsets(topics, OffsetSpec.latest());
    }

    /** What {@code group} committed, per partition; partitions it never committed are absent. */
    Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    /** Sets where {@code group}, which has no members yet, starts in each partition. */
    void startAt(String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
        get(admin.alterConsumerGroupOffsets(group, commit).all());
    }

    /** Removes {@code group}; {@code false} while it still has members. */
    boolean deleteGroup(String group) {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return true;
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                return false;
            }
            throw new KafkaUnavailable(e.getCause());
        }
        catch (TimeoutException e) {
            throw new KafkaUnavailable(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable(e);
        }
    }

    private Map<TopicPartition, Long> offsets(Collection<String> topics, OffsetSpec spec) {
        Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        described.values().forEach(topic -> topic.partitions().forEach(partition ->
                request.put(new TopicPartition(topic.name(), partition.partition()), spec)));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = get(admin.listOffsets(request).all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            throw new KafkaUnavailable(e.getCause());
        }
        catch (TimeoutException e) {
            throw new KafkaUnavailable(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable(e);
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(5));
    }

    /** Kafka did not answer, or refused; the step is tried again later. */
    static class KafkaUnavailable extends RuntimeException {

        KafkaUnavailable(Throwable cause) {
            super("Kafka did not answer: " + cause.getMessage(), cause);
        }
    }
}

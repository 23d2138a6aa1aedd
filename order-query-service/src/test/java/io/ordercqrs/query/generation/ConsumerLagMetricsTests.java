package io.ordercqrs.query.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How far behind a consumer group is, per partition, from its committed offsets. */
class ConsumerLagMetricsTests {

    private static final TopicPartition P0 = new TopicPartition("orders.order.events", 0);
    private static final TopicPartition P1 = new TopicPartition("orders.order.events", 1);
    private static final TopicPartition P2 = new TopicPartition("orders.order.events", 2);

    @Test
    void countsFromTheCommittedOffsetOrWhereNothingWasCommittedFromTheEarliestRecordKept() {
        Map<TopicPartition, Long> behind = ConsumerLagMetrics.behind(Map.of(P0, 120L, P1, 50L, P2, 30L),
                Map.of(P0, 100L, P1, 50L), Map.of(P0, 0L, P1, 0L, P2, 10L));

        assertThat(behind).containsExactly(Map.entry(P0, 20L), Map.entry(P1, 0L), Map.entry(P2, 20L));
    }

    @Test
    void neverReportsANegativeLagWhenTheEndWasReadBeforeALaterCommit() {
        assertThat(ConsumerLagMetrics.behind(Map.of(P0, 100L), Map.of(P0, 104L), Map.of())).containsEntry(P0, 0L);
    }
}

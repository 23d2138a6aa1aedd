package io.ordercqrs.command.outbox;

import java.time.Instant;
import java.util.Set;

/**
 * What one relay instance is doing, for health, metrics and ops.
 *
 * @param running        whether the relay loop runs
 * @param ownedSlots     the outbox slots this instance publishes
 * @param members        live relay instances it counted
 * @param published      rows it published since start
 * @param lastPublishAt  when Kafka last acknowledged one of its batches, or {@code null}
 * @param lastError      the last failure talking to Kafka or PostgreSQL, or {@code null} once it recovered
 */
public record RelayStatus(String instance, boolean running, Set<Integer> ownedSlots, int members, long published,
        Instant lastPublishAt, String lastError) {
}

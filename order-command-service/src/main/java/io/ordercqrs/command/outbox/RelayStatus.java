package io.ordercqrs.command.outbox;

import java.time.Instant;
import java.util.Set;

/**
 * What one relay instance is doing, for health, metrics and ops.
 *
 * @param running           whether the relay loop runs; {@code false} also when it stopped on an error
 * @param ownedSlots        the outbox slots this instance publishes
 * @param members           live relay instances it counted
 * @param published         rows it published since start
 * @param inFlight          records sent and not yet answered by Kafka
 * @param blockedAggregates aggregates whose rows wait behind a failed row
 * @param lastPublishAt     when Kafka last acknowledged one of its records, or {@code null}
 * @param lastError         the last failure talking to Kafka or PostgreSQL, or {@code null} once it recovered
 */
public record RelayStatus(String instance, boolean running, Set<Integer> ownedSlots, int members, long published,
        int inFlight, int blockedAggregates, Instant lastPublishAt, String lastError) {
}

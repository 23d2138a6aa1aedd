package io.ordercqrs.command.outbox;

import io.ordercqrs.service.health.BoundedHealthCheck;
import jakarta.annotation.PreDestroy;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * Reports the outbox at {@code /actuator/health/outbox}: the backlog, the age of its oldest row,
 * the failed rows with how many rows of their aggregate wait behind each, the oldest transaction
 * still running that began before the oldest row waiting in its slot (what may hold it back), and
 * this instance's relay. It is DOWN when the oldest waiting row is older than
 * {@code ordercqrs.outbox.health.max-age} (Kafka has been unreachable, or a transaction held the
 * polling relay back, for that long) or when this instance's relay stopped on an error, so ops
 * are alerted; it is not part of the readiness group, because commands are still accepted then.
 */
@Component("outbox")
class OutboxHealthIndicator implements HealthIndicator {

    private final OutboxMetrics metrics;
    private final ObjectProvider<Relay> relay;
    private final HealthSettings settings;
    private final BoundedHealthCheck bounded;

    OutboxHealthIndicator(OutboxMetrics metrics, ObjectProvider<Relay> relay, HealthSettings settings) {
        this.metrics = metrics;
        this.relay = relay;
        this.settings = settings;
        // The backlog is read from PostgreSQL: while it stalls, health still answers within a second.
        this.bounded = new BoundedHealthCheck("PostgreSQL", this::check, Duration.ofSeconds(1), Duration.ZERO);
    }

    @PreDestroy
    void close() {
        bounded.close();
    }

    @Override
    public Health health() {
        return bounded.health();
    }

    private Health check() {
        OutboxEntries.Backlog backlog = metrics.current();
        double age = metrics.oldestAgeSeconds();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backlog", backlog.size());
        details.put("failed", backlog.failed());
        details.put("oldestAgeSeconds", age);
        if (backlog.failed() > 0) {
            details.put("failedRows", metrics.blockers().stream().map(OutboxHealthIndicator::describe).toList());
        }
        metrics.oldestTransaction().ifPresent(running -> details.put("oldestTransaction", running));
        boolean relayDown = false;
        Relay local = relay.getIfAvailable();
        if (local == null) {
            details.put("relay", "disabled on this instance");
        }
        else {
            RelayStatus status = local.status();
            relayDown = !status.running();
            Map<String, Object> shown = new LinkedHashMap<>(local.details());
            shown.putAll(Map.of("running", status.running(), "ownedSlots", status.ownedSlots(),
                    "members", status.members(), "published", status.published(), "inFlight", status.inFlight(),
                    "blockedAggregates", status.blockedAggregates()));
            details.put("relay", shown);
            if (status.lastError() != null) {
                details.put("lastError", status.lastError());
            }
        }
        boolean stale = age > settings.maxAge().toMillis() / 1000.0;
        return (stale || relayDown ? Health.down() : Health.up()).withDetails(details).build();
    }

    /** A failed row as health shows it: what it is, why it failed, and what waits behind it. */
    private static Map<String, Object> describe(OutboxEntries.Blocker blocker) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", blocker.id());
        row.put("aggregateId", blocker.aggregateId());
        row.put("sequence", blocker.sequence());
        row.put("eventType", blocker.eventType());
        row.put("failedAt", blocker.failedAt());
        row.put("lastError", blocker.lastError());
        row.put("waitingBehind", blocker.waiting());
        return row;
    }

    /**
     * When the outbox counts as unhealthy, under {@code ordercqrs.outbox.health}.
     *
     * @param maxAge the oldest an unpublished row may be before the outbox reports DOWN
     */
    @Validated
    @ConfigurationProperties("ordercqrs.outbox.health")
    record HealthSettings(@DefaultValue("5m") @NotNull Duration maxAge) {
    }
}

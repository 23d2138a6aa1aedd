package io.ordercqrs.command.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Gauges of the outbox backlog: rows waiting for Kafka, rows Kafka refused, and the age of the
 * oldest waiting row. The table is read at most every few seconds, however often they are scraped.
 */
@Component
class OutboxMetrics implements MeterBinder {

    private static final Duration FRESH_FOR = Duration.ofSeconds(2);

    private final OutboxEntries entries;
    private final Clock clock;
    private volatile OutboxEntries.Backlog backlog;
    private volatile List<OutboxEntries.Blocker> blockers = List.of();
    private volatile Optional<OutboxEntries.RunningTransaction> oldestTransaction = Optional.empty();
    private volatile Instant readAt = Instant.MIN;

    OutboxMetrics(OutboxEntries entries, Clock clock) {
        this.entries = entries;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ordercqrs.outbox.backlog", this, metrics -> metrics.current().size())
                .description("Outbox rows not yet acknowledged by Kafka").register(registry);
        Gauge.builder("ordercqrs.outbox.failed", this, metrics -> metrics.current().failed())
                .description("Outbox rows refused for good, each holding its aggregate back").register(registry);
        Gauge.builder("ordercqrs.outbox.oldest.age", this, OutboxMetrics::oldestAgeSeconds)
                .baseUnit("seconds").description("Age of the oldest row waiting for Kafka").register(registry);
    }

    /** The backlog, read again when the last reading is older than a few seconds. */
    OutboxEntries.Backlog current() {
        Instant now = clock.instant();
        if (backlog == null || readAt.plus(FRESH_FOR).isBefore(now)) {
            backlog = entries.backlog();
            blockers = backlog.failed() == 0 ? List.of() : entries.blockers(20);
            oldestTransaction = backlog.oldestInLineAt() == null ? Optional.empty()
                    : entries.oldestTransactionBefore(backlog.oldestInLineAt());
            readAt = now;
        }
        return backlog;
    }

    /** The failed rows holding their aggregates back, as of the last reading. */
    List<OutboxEntries.Blocker> blockers() {
        current();
        return blockers;
    }

    /**
     * The oldest transaction still running that began before the oldest row waiting in its slot (not
     * set aside), as of the last reading: what may hold the backlog back.
     */
    Optional<OutboxEntries.RunningTransaction> oldestTransaction() {
        current();
        return oldestTransaction;
    }

    double oldestAgeSeconds() {
        Instant oldest = current().oldestOccurredAt();
        return oldest == null ? 0 : Duration.between(oldest, clock.instant()).toMillis() / 1000.0;
    }
}

package io.ordercqrs.command.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Published rows are kept for the retention, then deleted in bounded batches; waiting or failed rows never. */
class OutboxRetentionTests {

    RelayTestBed bed;

    @BeforeEach
    void setUp() {
        bed = new RelayTestBed();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void deletesOnlyPublishedRowsOlderThanTheRetentionInBatches() {
        UUID old = bed.commitOrderEvents(5);
        UUID recent = bed.commitOrderEvents(1);
        UUID failed = bed.commitOrderEvents(1);
        bed.markAllPublished();
        UUID waiting = bed.commitOrderEvents(2);
        bed.jdbc.update("insert into outbox_held (id, slot, aggregate_id, failed_at, last_error) "
                + "select id, slot, aggregate_id, now(), 'RecordTooLargeException: x' from outbox where aggregate_id = ?",
                failed);
        bed.jdbc.update("update outbox set occurred_at = now() - interval '8 days' where aggregate_id <> ?", recent);
        bed.jdbc.update("update outbox set occurred_at = now() - interval '1 day' where aggregate_id = ?", recent);
        Clock now = Clock.fixed(Instant.now(), ZoneOffset.UTC);

        int deleted = new OutboxRetention(bed.entries, new RetentionSettings(Duration.ofDays(7), 2,
                Duration.ofMinutes(1)), now).deleteExpired();

        assertThat(deleted).isEqualTo(5);
        assertThat(bed.entries.history(old)).isEmpty();
        assertThat(bed.entries.history(waiting)).as("not yet published").hasSize(2);
        assertThat(bed.entries.history(failed)).as("refused, waiting for ops").hasSize(1);
        assertThat(bed.entries.history(recent)).as("within the retention").hasSize(1);
    }

    @Test
    void reportsTheBacklogAndTheAgeOfItsOldestRow() {
        bed.commitOrderEvents(3);
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        OutboxMetrics metrics = new OutboxMetrics(bed.entries, later);

        OutboxHealthIndicator health = new OutboxHealthIndicator(metrics, emptyRelay(),
                new OutboxHealthIndicator.HealthSettings(Duration.ofMinutes(5)));

        assertThat(metrics.current().size()).isEqualTo(3);
        assertThat(metrics.oldestAgeSeconds()).isGreaterThan(590);
        assertThat(health.health().getStatus().getCode()).as("ten minutes behind").isEqualTo("DOWN");
        assertThat(health.health().getDetails()).containsEntry("backlog", 3L)
                .containsEntry("relay", "disabled on this instance");
    }

    private static org.springframework.beans.factory.ObjectProvider<Relay> emptyRelay() {
        return new org.springframework.beans.factory.support.DefaultListableBeanFactory()
                .getBeanProvider(Relay.class);
    }
}

package io.ordercqrs.command.outbox;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes published outbox rows once their retention is over, a bounded batch at a time. */
@Component
class OutboxRetention {

    private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);

    private final OutboxEntries entries;
    private final RetentionSettings settings;
    private final Clock clock;

    OutboxRetention(OutboxEntries entries, RetentionSettings settings, Clock clock) {
        this.entries = entries;
        this.settings = settings;
        this.clock = clock;
    }

    /** Deletes every expired row, batch by batch; returns how many. */
    @Scheduled(fixedDelayString = "${ordercqrs.outbox.retention.interval:1m}")
    int deleteExpired() {
        Instant cutoff = clock.instant().minus(settings.keep());
        int total = 0;
        int deleted;
        do {
            deleted = entries.deletePublishedBefore(cutoff, settings.batchSize());
            total += deleted;
        }
        while (deleted == settings.batchSize());
        if (total > 0) {
            log.info("Deleted {} outbox rows published before {}", total, cutoff);
        }
        return total;
    }
}

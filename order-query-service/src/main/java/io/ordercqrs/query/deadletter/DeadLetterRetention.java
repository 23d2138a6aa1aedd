package io.ordercqrs.query.deadletter;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes resolved and discarded letters once they are older than the configured retention, a
 * bounded batch at a time; open letters stay until ops deal with them.
 */
@Component
class DeadLetterRetention {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRetention.class);
    private static final int BATCH = 1000;

    private final DeadLetters letters;
    private final DeadLetterSettings settings;
    private final Clock clock;

    DeadLetterRetention(DeadLetters letters, DeadLetterSettings settings, Clock clock) {
        this.letters = letters;
        this.settings = settings;
        this.clock = clock;
    }

    /** Removes closed letters past their retention; how many went. */
    @Scheduled(fixedDelayString = "${ordercqrs.dead-letters.sweep-interval:10s}")
    long removeExpired() {
        long removed = letters.removeClosedBefore(clock.instant().minus(settings.retention()), BATCH);
        if (removed > 0) {
            log.info("Removed {} resolved or discarded dead letters older than {}", removed, settings.retention());
        }
        return removed;
    }
}

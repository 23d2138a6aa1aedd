package io.ordercqrs.query.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The dead letters as gauges: those waiting for ops ({@code ordercqrs.projection.dead-letters.open}),
 * and every letter kept by state ({@code ordercqrs.projection.dead-letters{state=...}}), counted at
 * most once per {@link #REFRESH_EVERY} however often they are scraped.
 */
@Component
class DeadLetterMetrics {

    static final Duration REFRESH_EVERY = Duration.ofSeconds(5);

    private final DeadLetters letters;
    private final Clock clock;
    private Map<DeadLetterStatus, Long> counted = Map.of();
    private Instant countedAt = Instant.MIN;

    DeadLetterMetrics(MeterRegistry registry, DeadLetters letters, Clock clock) {
        this.letters = letters;
        this.clock = clock;
        Gauge.builder("ordercqrs.projection.dead-letters.open", letters, DeadLetters::countOpen)
                .description("Dead letters parked or held, waiting for ops").register(registry);
        for (DeadLetterStatus state : DeadLetterStatus.values()) {
            Gauge.builder("ordercqrs.projection.dead-letters", this, metrics -> metrics.count(state))
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("Dead letters kept, by state").register(registry);
        }
    }

    private synchronized double count(DeadLetterStatus state) {
        Instant now = clock.instant();
        if (countedAt.plus(REFRESH_EVERY).isBefore(now)) {
            Map<DeadLetterStatus, Long> counts = new EnumMap<>(DeadLetterStatus.class);
            counts.putAll(letters.countByStatus());
            counted = counts;
            countedAt = now;
        }
        return counted.getOrDefault(state, 0L);
    }
}

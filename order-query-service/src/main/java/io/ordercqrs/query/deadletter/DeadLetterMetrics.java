package io.ordercqrs.query.deadletter;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The dead letters as gauges: every letter kept by state
 * ({@code ordercqrs.projection.dead-letters{state=...}}) and those waiting for ops, parked or held
 * ({@code ordercqrs.projection.dead-letters.open}), all from one count per state made at most once
 * per {@link #REFRESH_EVERY} however often they are scraped.
 */
@Component
class DeadLetterMetrics {

    static final Duration REFRESH_EVERY = Duration.ofSeconds(5);

    private final LoadingCache<Boolean, Map<DeadLetterStatus, Long>> counted;

    DeadLetterMetrics(MeterRegistry registry, DeadLetters letters) {
        this.counted = Caffeine.newBuilder().expireAfterWrite(REFRESH_EVERY)
                .build(all -> letters.countByStatus());
        Gauge.builder("ordercqrs.projection.dead-letters.open", this,
                        metrics -> metrics.count(DeadLetterStatus.PARKED) + metrics.count(DeadLetterStatus.HELD))
                .description("Dead letters parked or held, waiting for ops").register(registry);
        for (DeadLetterStatus state : DeadLetterStatus.values()) {
            Gauge.builder("ordercqrs.projection.dead-letters", this, metrics -> metrics.count(state))
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("Dead letters kept, by state").register(registry);
        }
    }

    private double count(DeadLetterStatus state) {
        return counted.get(true).getOrDefault(state, 0L);
    }
}

package io.ordercqrs.query.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ordercqrs.events.DomainEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * What the projections report: events applied (a counter, so dashboards show the rate),
 * projection lag (now minus the applied event's time, with a histogram for dashboards) and the
 * records parked as dead letters.
 */
@Component
public class ProjectionMetrics {

    private final Counter applied;
    private final Counter parked;
    private final Timer lag;
    private final AtomicLong lastLagMillis = new AtomicLong();
    private final Clock clock;

    ProjectionMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.applied = Counter.builder("ordercqrs.projection.events.applied")
                .description("Events applied to the views").register(registry);
        this.parked = Counter.builder("ordercqrs.projection.dead-letters.parked")
                .description("Records parked as dead letters after their retries").register(registry);
        this.lag = Timer.builder("ordercqrs.projection.lag")
                .description("Time from an event's occurrence to its application to the views")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        Gauge.builder("ordercqrs.projection.lag.last", lastLagMillis, AtomicLong::get).baseUnit("milliseconds")
                .description("Lag of the last event applied").register(registry);
    }

    void applied(List<DomainEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        applied.increment(events.size());
        long now = clock.millis();
        for (DomainEvent event : events) {
            long millis = Math.max(0, now - event.occurredAt().toEpochMilli());
            lag.record(Duration.ofMillis(millis));
            lastLagMillis.set(millis);
        }
    }

    void parked() {
        parked.increment();
    }
}

package io.ordercqrs.query.generation;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The rebuild under way as gauges, the same on every instance (they read the generation's stored
 * progress, at most once per {@link #REFRESH_EVERY}): {@code ordercqrs.rebuild.running} (1 while a
 * rebuild builds, waits to switch or switches), {@code ordercqrs.rebuild.events.done},
 * {@code ordercqrs.rebuild.events.target} and {@code ordercqrs.rebuild.eta} (seconds); all 0 when no
 * rebuild is under way.
 */
@Component
class RebuildMetrics {

    static final Duration REFRESH_EVERY = Duration.ofSeconds(1);

    private final LoadingCache<Boolean, Optional<Generation>> rebuilding;

    RebuildMetrics(MeterRegistry registry, Generations generations) {
        this.rebuilding = Caffeine.newBuilder().expireAfterWrite(REFRESH_EVERY).build(latest -> generations
                .latestRebuild().filter(generation -> generation.state().rebuilding()));
        gauge(registry, "ordercqrs.rebuild.running", "Whether a rebuild is under way (1) or not (0)", null,
                generation -> 1);
        gauge(registry, "ordercqrs.rebuild.events.done", "Records the rebuild under way has applied", null,
                generation -> generation.progress().eventsDone());
        gauge(registry, "ordercqrs.rebuild.events.target", "Records the rebuild under way has to apply in all", null,
                generation -> generation.progress().eventsTotal());
        gauge(registry, "ordercqrs.rebuild.eta", "Time left for the rebuild under way at its rate", "seconds",
                generation -> generation.progress().etaSeconds() == null ? 0 : generation.progress().etaSeconds());
    }

    private void gauge(MeterRegistry registry, String name, String description, @Nullable String unit,
            ToDoubleFunction<Generation> value) {
        Gauge.builder(name, this, metrics -> metrics.rebuilding().map(value::applyAsDouble).orElse(0.0))
                .description(description).baseUnit(unit).register(registry);
    }

    private Optional<Generation> rebuilding() {
        return rebuilding.get(true);
    }
}

package io.ordercqrs.command.async;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Commands accepted for later, for the on-call dashboard: {@code ordercqrs.async-commands.pending}
 * and {@code ordercqrs.async-commands.oldest.age} (seconds) from the table, the same on every
 * instance and read at most every {@link #REFRESH_EVERY}; and
 * {@code ordercqrs.async-commands.completed{state=done|failed}} counted by the workers of this
 * instance.
 */
@Component
class AsyncCommandMetrics {

    static final Duration REFRESH_EVERY = Duration.ofSeconds(2);

    private final LoadingCache<Boolean, AcceptedCommands.Waiting> waiting;
    private final Counter done;
    private final Counter failed;

    AsyncCommandMetrics(MeterRegistry registry, AcceptedCommands accepted, Clock clock) {
        this.waiting = Caffeine.newBuilder().expireAfterWrite(REFRESH_EVERY).build(latest -> accepted.waiting());
        Gauge.builder("ordercqrs.async-commands.pending", this, metrics -> metrics.waiting().count())
                .description("Commands accepted for later that have not run yet").register(registry);
        Gauge.builder("ordercqrs.async-commands.oldest.age", this, metrics -> metrics.waiting().oldestAgeSeconds(clock))
                .baseUnit("seconds").description("Age of the oldest command waiting to run").register(registry);
        this.done = completed(registry, CommandStatus.State.DONE);
        this.failed = completed(registry, CommandStatus.State.FAILED);
    }

    void completed(CommandStatus.State state) {
        (state == CommandStatus.State.DONE ? done : failed).increment();
    }

    private static Counter completed(MeterRegistry registry, CommandStatus.State state) {
        return Counter.builder("ordercqrs.async-commands.completed").tag("state", state.wireName())
                .description("Commands accepted for later that ran here, by how they ended").register(registry);
    }

    private AcceptedCommands.Waiting waiting() {
        return waiting.get(true);
    }
}

package io.ordercqrs.query.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The dead letters waiting for ops, as a gauge. */
@Component
class DeadLetterMetrics {

    DeadLetterMetrics(MeterRegistry registry, DeadLetters letters) {
        Gauge.builder("ordercqrs.projection.dead-letters.open", letters, DeadLetters::countOpen)
                .description("Dead letters parked or held, waiting for ops").register(registry);
    }
}

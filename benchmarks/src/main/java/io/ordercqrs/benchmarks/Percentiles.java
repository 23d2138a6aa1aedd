package io.ordercqrs.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of measured durations, in milliseconds. */
final class Percentiles {

    private final List<Double> millis;

    Percentiles(List<Long> nanos) {
        this.millis = new ArrayList<>(nanos.stream().map(n -> n / 1_000_000.0).toList());
        Collections.sort(this.millis);
    }

    double at(double percentile) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * millis.size()) - 1;
        return millis.get(Math.max(0, Math.min(index, millis.size() - 1)));
    }

    String summary() {
        return String.format("n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms", millis.size(), at(50), at(90),
                at(99), at(100));
    }
}

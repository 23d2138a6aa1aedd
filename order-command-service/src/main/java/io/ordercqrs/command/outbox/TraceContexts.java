package io.ordercqrs.command.outbox;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The W3C trace context ({@code traceparent}) of the work in progress, as stored with work that
 * goes on elsewhere or later (an outbox row, a command accepted for later), and continued from it.
 * Without tracing on the class path everything here is a no-op.
 */
@Component
public class TraceContexts {

    private static final String TRACEPARENT = "traceparent";

    // Looked up once: asking the bean factory on every outbox row cost 2% of a command's CPU.
    private final @Nullable Tracer tracer;
    private final @Nullable Propagator propagator;

    TraceContexts(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable();
        this.propagator = propagator.getIfAvailable();
    }

    /** The current span's {@code traceparent}, or {@code null} outside a trace. */
    public String current() {
        Span span = tracer == null ? null : tracer.currentSpan();
        if (span == null || propagator == null) {
            return null;
        }
        Map<String, String> carrier = new LinkedHashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** Runs the work in a span named {@code name}, a child of the given context (or in none without one). */
    public <T> T continued(String traceparent, String name, Supplier<T> work) {
        if (traceparent == null || tracer == null || propagator == null) {
            return work.get();
        }
        Span span = propagator.extract(Map.of(TRACEPARENT, traceparent), Map::get).name(name).start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            return work.get();
        }
        catch (RuntimeException failed) {
            span.error(failed);
            throw failed;
        }
        finally {
            span.end();
        }
    }
}

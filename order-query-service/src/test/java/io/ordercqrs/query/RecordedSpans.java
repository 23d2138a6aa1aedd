package io.ordercqrs.query;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Keeps the spans the service finishes in memory, where tests read them, instead of exporting them. */
@TestConfiguration(proxyBeanMethods = false)
public class RecordedSpans {

    @Bean
    InMemorySpanExporter recordedSpans() {
        return InMemorySpanExporter.create();
    }
}

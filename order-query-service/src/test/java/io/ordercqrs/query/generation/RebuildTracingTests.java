package io.ordercqrs.query.generation;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A rebuild re-projects history into a generation queries do not read yet: it adds no spans to
 * the old traces of the commands that caused those events, and the rebuilt views keep their trace
 * ids.
 */
@QueryServiceTest
class RebuildTracingTests {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @LocalServerPort
    int port;

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    SdkTracerProvider tracing;

    @Test
    void rebuildsWithoutAddingToOldTraces() {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publishTraced(TestEvents.placed(order, customer, T0), "00-" + TRACE_ID + "-b7ad6b7169203331-01");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> projectionSpans() == 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> !rebuilding(api));

        ApiClient.Response rebuild = api.post(TestTokens.ops(), "/admin/rebuilds/all", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ACTIVE".equals(
                api.get(TestTokens.ops(), "/admin/rebuilds/current").text("/state")));
        tracing.forceFlush().join(10, TimeUnit.SECONDS);

        assertThat(rebuild.status()).isEqualTo(202);
        assertThat(projectionSpans()).as("the rebuild re-projected the event without a span").isEqualTo(1);
        assertThat(api.get(TestTokens.ops(), "/orders/" + order).text("/timeline/0/traceId")).isEqualTo(TRACE_ID);
    }

    /** Whether a rebuild another test started is still under way (only one runs at a time). */
    private static boolean rebuilding(ApiClient api) {
        ApiClient.Response current = api.get(TestTokens.ops(), "/admin/rebuilds/current");
        return current.status() == 200
                && Set.of("BUILDING", "READY", "SWITCHING").contains(current.text("/state"));
    }

    private long projectionSpans() {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(TRACE_ID) && span.getName().startsWith("project "))
                .count();
    }
}

package io.ordercqrs.query.projection;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The projection continues the trace of the command that caused an event: each order view's
 * timeline entry names the trace of its event, and projecting the event is a span in that trace,
 * a child of the span that wrote the event. (A rebuild adds no spans to old traces:
 * {@code RebuildTracingTests}.)
 */
@QueryServiceTest
class ProjectionTracingTests {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    @LocalServerPort
    int port;

    @Autowired
    InMemorySpanExporter spans;

    @Test
    void recordsTheCommandsTraceInTheTimelineAndProjectsInASpanOfThatTrace() {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publishTraced(TestEvents.placed(order, customer, T0),
                    "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01");
            kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(1)));
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "2".equals(api.get(TestTokens.ops(), "/orders/" + order).text("/version")));
        ApiClient.Response view = api.get(TestTokens.ops(), "/orders/" + order);

        assertThat(view.text("/timeline/0/traceId")).isEqualTo(TRACE_ID);
        assertThat(view.body().get("timeline").get(1).has("traceId")).as("an event without trace context has none")
                .isFalse();
        SpanData projected = await().atMost(Duration.ofSeconds(20)).until(() -> projectionSpans(TRACE_ID),
                found -> !found.isEmpty()).get(0);
        assertThat(projected.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(projected.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(projected.getName()).isEqualTo("project order.placed");
    }

    private List<SpanData> projectionSpans(String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId) && span.getName().startsWith("project "))
                .toList();
    }
}

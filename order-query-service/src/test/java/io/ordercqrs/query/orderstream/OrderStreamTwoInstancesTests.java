package io.ordercqrs.query.orderstream;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.OrderQueryServiceApplication;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.SseClient;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.testsupport.RealServersInitializer;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With two query instances in one consumer group, each projects some partitions, and a stream on
 * either carries every change of the caller's orders, whichever instance projected it. (Runs with
 * the rebuild tests, in a JVM of its own: a second instance joins the shared consumer group.)
 */
@QueryServiceTest
class OrderStreamTwoInstancesTests {

    @LocalServerPort
    int port;

    private ConfigurableApplicationContext second;

    @BeforeEach
    void startASecondInstance() {
        second = new SpringApplicationBuilder(OrderQueryServiceApplication.class)
                .initializers(new RealServersInitializer())
                .properties("server.port=0", "ordercqrs.generations.follow-every=200ms",
                        "ordercqrs.streams.heartbeat-every=200ms")
                .run();
    }

    @AfterEach
    void stopTheSecondInstance() {
        second.close();
    }

    @Test
    void aStreamOnEitherInstanceCarriesChangesProjectedByBoth() {
        int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
        CustomerId customer = TestEvents.newCustomer();
        String token = TestTokens.customer(customer.value());
        List<OrderId> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            orders.add(TestEvents.newOrder());
        }
        Set<String> expected = new TreeSet<>();
        orders.forEach(order -> expected.add(order + ":1"));
        try (SseClient onFirst = SseClient.open(port, token, "/orders/stream");
                SseClient onSecond = SseClient.open(secondPort, token, "/orders/stream");
                EventPublisher kafka = new EventPublisher()) {
            // Orders on every partition: some are projected by one instance, some by the other.
            orders.forEach(order -> kafka.publish(TestEvents.placed(order, customer, T0)));

            assertThat(ids(onFirst, orders.size())).isEqualTo(expected);
            assertThat(ids(onSecond, orders.size())).isEqualTo(expected);
        }
    }

    private static Set<String> ids(SseClient stream, int count) {
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(stream.next(Duration.ofSeconds(30)).id());
        }
        return ids;
    }
}

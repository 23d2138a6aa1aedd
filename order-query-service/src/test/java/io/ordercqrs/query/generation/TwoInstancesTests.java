package io.ordercqrs.query.generation;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.OrderQueryServiceApplication;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.replay.TopicScan;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.RealServersInitializer;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Two query instances in one consumer group, as behind a load balancer: either answers for the
 * rebuild, a second rebuild is refused by the other, both consume for it, and it completes when one
 * of them stops half way. Afterwards the active views equal a clean projection of the topics.
 */
@QueryServiceTest
class TwoInstancesTests {

    private static final Set<String> UNDER_WAY = Set.of("BUILDING", "READY", "SWITCHING");
    private static final int STREAMED_ORDERS = 1500;

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    TopicScan topics;

    @Autowired
    EventProjection projection;

    @Autowired
    CustomerOrderSummaries summaries;

    @Autowired
    ActiveViews active;

    private ConfigurableApplicationContext second;

    @BeforeEach
    void startASecondInstance() {
        second = new SpringApplicationBuilder(OrderQueryServiceApplication.class)
                .initializers(new RealServersInitializer())
                .properties("server.port=0", "ordercqrs.projection.initial-backoff=50ms",
                        "ordercqrs.generations.follow-every=200ms", "ordercqrs.generations.retire-after=1s")
                .run();
    }

    @AfterEach
    void stopTheSecondInstance() {
        if (second.isActive()) {
            second.close();
        }
    }

    @Test
    void rebuildsOnBothInstancesWhileEventsStreamInAndFinishesWhenOneStopsHalfWay() throws Exception {
        ApiClient one = new ApiClient(port);
        ApiClient two = new ApiClient(((WebServerApplicationContext) second).getWebServer().getPort());
        List<CustomerId> customers = List.of(TestEvents.newCustomer(), TestEvents.newCustomer(),
                TestEvents.newCustomer());
        try (EventPublisher kafka = new EventPublisher()) {
            List<DomainEvent> history = new ArrayList<>();
            for (CustomerId customer : customers) {
                history.add(TestEvents.registered(customer, "Customer " + customer, customer + "@example.org"));
            }
            // Enough history that the rebuild takes seconds: the second instance is stopped while
            // it is under way, not after a rebuild of a few hundred events already switched in.
            for (int i = 0; i < 4000; i++) {
                OrderId order = TestEvents.newOrder();
                CustomerId customer = customers.get(i % customers.size());
                history.add(TestEvents.placed(order, customer, T0.plusSeconds(i)));
                history.add(TestEvents.paid(order, customer, T0.plusSeconds(i + 1)));
            }
            kafka.publishAll(history);
            // A stream of a known length, not one that runs until the rebuild is done: a rebuild that
            // must catch up with a producer as fast as itself would finish when the machine lets it.
            AtomicBoolean streaming = new AtomicBoolean(true);
            Thread stream = new Thread(() -> {
                for (int i = 0; streaming.get() && i < STREAMED_ORDERS; i++) {
                    OrderId order = TestEvents.newOrder();
                    CustomerId customer = customers.get(i % customers.size());
                    kafka.publish(TestEvents.placed(order, customer, T0.plusSeconds(20_000 + i)),
                            TestEvents.paid(order, customer, T0.plusSeconds(20_001 + i)));
                    if (i % 25 == 0) {
                        kafka.publish(TestEvents.detailsChanged(customer, 2 + i / 75, "Renamed " + i,
                                "renamed" + i + "@example.org"));
                    }
                }
            });
            stream.start();

            ApiClient.Response started = one.post(TestTokens.ops(), "/admin/rebuilds/all", null);
            ApiClient.Response secondStart = two.post(TestTokens.ops(), "/admin/rebuilds/all", null);
            ApiClient.Response seenByTheOther = two.get(TestTokens.ops(), "/admin/rebuilds/current");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    Long.parseLong(two.get(TestTokens.ops(), "/admin/rebuilds/current").text("/eventsDone")) > 0
                            || !UNDER_WAY.contains(two.get(TestTokens.ops(), "/admin/rebuilds/current").text("/state")));
            String stateWhenStopped = one.get(TestTokens.ops(), "/admin/rebuilds/current").text("/state");
            second.close();
            await().atMost(Duration.ofSeconds(120)).until(() ->
                    !UNDER_WAY.contains(one.get(TestTokens.ops(), "/admin/rebuilds/current").text("/state")));
            streaming.set(false);
            stream.join();
            ApiClient.Response finished = one.get(TestTokens.ops(), "/admin/rebuilds/current");

            assertThat(started.status()).isEqualTo(202);
            assertThat(secondStart.status()).as("the other instance refuses a second rebuild").isEqualTo(409);
            assertThat(seenByTheOther.status()).as("the other instance answers for the rebuild").isEqualTo(200);
            assertThat(seenByTheOther.text("/generation")).isEqualTo(started.text("/generation"));
            assertThat(stateWhenStopped).as("the second instance stopped half way").isIn("BUILDING", "READY");
            assertThat(finished.text("/state")).as("%s", finished).isEqualTo("ACTIVE");
            assertThat(finished.text("/skipped")).isEqualTo("0");
        }
        CleanProjection clean = CleanProjection.of(topics, projection, mongo, summaries);
        List<String> ids = customers.stream().map(CustomerId::toString).toList();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(CleanProjection.orderViews(mongo, active.current())).isEqualTo(clean.orderViews());
            assertThat(CleanProjection.summaries(summaries, active.current(), ids)).isEqualTo(clean.summaries(ids));
        });
    }
}

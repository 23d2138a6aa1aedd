package io.ordercqrs.query.generation;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewSet;
import io.ordercqrs.query.replay.TopicScan;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * A rebuild while orders, payments and customers' new details keep flowing: queries answer
 * throughout, a second rebuild is refused, the new generation switches in by itself once it has
 * caught up, and afterwards the active views equal a clean projection of the topics, summaries
 * included, while the replaced generation is dropped.
 */
@QueryServiceTest
class RebuildAdminTests {

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

    @Test
    void rebuildsDuringASteadyStreamWhileQueriesKeepAnsweringAndSwitchesInByItself() throws Exception {
        ApiClient api = new ApiClient(port);
        CustomerId ada = TestEvents.newCustomer();
        CustomerId bob = TestEvents.newCustomer();
        List<OrderId> orders = new ArrayList<>();
        ViewSet before = active.current();
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publish(TestEvents.registered(ada, "Ada", "ada@example.org"),
                    TestEvents.registered(bob, "Bob", "bob@example.org"));
            for (int i = 0; i < 300; i++) {
                OrderId order = TestEvents.newOrder();
                orders.add(order);
                CustomerId customer = i % 2 == 0 ? ada : bob;
                kafka.publish(TestEvents.placed(order, customer, T0.plusSeconds(i)),
                        TestEvents.paid(order, customer, T0.plusSeconds(i + 1)));
            }
            OrderId probe = orders.get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get(TestTokens.ops(), "/orders/"
                    + orders.get(orders.size() - 1) + "?minVersion=2").status() == 200);

            AtomicBoolean streaming = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Integer> queryStatuses = new ConcurrentLinkedQueue<>();
            List<OrderId> duringRebuild = new ArrayList<>();
            Thread stream = new Thread(() -> {
                int i = 0;
                while (streaming.get()) {
                    OrderId order = TestEvents.newOrder();
                    kafka.publish(TestEvents.placed(order, ada, T0.plusSeconds(10_000 + i)),
                            TestEvents.paid(order, ada, T0.plusSeconds(10_001 + i)));
                    if (i % 10 == 0) {
                        kafka.publish(TestEvents.detailsChanged(bob, 2 + i / 10, "Bob " + i, "bob" + i + "@example.org"));
                    }
                    i++;
                    synchronized (duringRebuild) {
                        duringRebuild.add(order);
                    }
                    queryStatuses.add(api.get(TestTokens.customer(ada.value()), "/orders/" + probe).status());
                }
            });

            ApiClient.Response started = api.post(TestTokens.ops(), "/admin/rebuilds/order_views", null);
            stream.start();
            ApiClient.Response second = api.post(TestTokens.ops(), "/admin/rebuilds/all", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> !"0".equals(api.get(TestTokens.ops(),
                    "/admin/rebuilds/current").text("/eventsTotal")));
            ApiClient.Response progress = api.get(TestTokens.ops(), "/admin/rebuilds/current");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                    !Set.of("BUILDING", "READY", "SWITCHING").contains(api.get(TestTokens.ops(), "/admin/rebuilds/current")
                            .text("/state")));
            streaming.set(false);
            stream.join();
            ApiClient.Response finished = api.get(TestTokens.ops(), "/admin/rebuilds/current");

            assertThat(started.status()).isEqualTo(202);
            assertThat(started.header("Location")).isEqualTo("/admin/rebuilds/current");
            assertThat(second.status()).as("one rebuild at a time").isEqualTo(409);
            assertThat(progress.text("/state")).isIn("BUILDING", "SWITCHING", "ACTIVE");
            assertThat(Long.parseLong(progress.text("/eventsTotal"))).isGreaterThan(600);
            assertThat(finished.text("/state")).as("%s", finished).isEqualTo("ACTIVE");
            assertThat(finished.text("/active")).isEqualTo("true");
            assertThat(finished.text("/skipped")).isEqualTo("0");
            assertThat(finished.text("/eventsToGo")).isEqualTo("0");
            assertThat(queryStatuses).as("queries answered throughout").isNotEmpty().containsOnly(200);
            assertThat(duringRebuild).isNotEmpty();

            OrderId last;
            synchronized (duringRebuild) {
                last = duringRebuild.get(duringRebuild.size() - 1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get(TestTokens.ops(), "/orders/" + last
                    + "?minVersion=2").status() == 200);
        }
        long rebuilt = Long.parseLong(api.get(TestTokens.ops(), "/admin/rebuilds/current").text("/generation"));
        assertThat(active.current().generation()).isEqualTo(rebuilt).isNotEqualTo(before.generation());
        CleanProjection clean = CleanProjection.of(topics, projection, mongo, summaries);
        List<String> customers = List.of(ada.toString(), bob.toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(CleanProjection.orderViews(mongo, active.current()))
                    .as("the active views, field by field, against a clean projection")
                    .isEqualTo(clean.orderViews());
            assertThat(CleanProjection.summaries(summaries, active.current(), customers))
                    .isEqualTo(clean.summaries(customers));
        });
        assertThat(summaries.in(active.current()).findById(ada.toString()).orElseThrow().orderCount())
                .isGreaterThan(150);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(mongo.collectionExists(before.collection(OrderView.VIEW)))
                    .as("the replaced generation is dropped after its grace period").isFalse();
            assertThat(api.get(TestTokens.ops(), "/admin/generations").body().findValues("state").stream()
                    .map(node -> node.asString()).toList()).contains("RETIRED");
        });
    }
}

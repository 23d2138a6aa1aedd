package io.ordercqrs.query.admin;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.Topics;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customersummary.CustomerOrderSummary;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.EventProjection;
import io.ordercqrs.query.projection.ViewCollections;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * A rebuild while new commands keep flowing: queries answer throughout, a second rebuild is
 * refused, and afterwards the rebuilt views equal a clean projection of the topics, document for
 * document, including everything that arrived during the rebuild.
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

    @Test
    void rebuildsDuringASteadyStreamWhileQueriesKeepAnswering() throws Exception {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        List<OrderId> orders = new ArrayList<>();
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publish(TestEvents.registered(customer, "Ada", "ada@example.org"));
            for (int i = 0; i < 300; i++) {
                OrderId order = TestEvents.newOrder();
                orders.add(order);
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
                    kafka.publish(TestEvents.placed(order, customer, T0.plusSeconds(10_000 + i++)));
                    synchronized (duringRebuild) {
                        duringRebuild.add(order);
                    }
                    queryStatuses.add(api.get(TestTokens.customer(customer.value()), "/orders/" + probe).status());
                }
            });

            ApiClient.Response started = api.post(TestTokens.ops(), "/admin/rebuilds/order_views", null);
            stream.start();
            ApiClient.Response second = api.post(TestTokens.ops(), "/admin/rebuilds/all", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> !"0".equals(api.get(TestTokens.ops(),
                    "/admin/rebuilds/current").text("/eventsTotal")));
            ApiClient.Response progress = api.get(TestTokens.ops(), "/admin/rebuilds/current");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                    !List.of("RUNNING", "SWITCHING").contains(api.get(TestTokens.ops(), "/admin/rebuilds/current")
                            .text("/state")));
            streaming.set(false);
            stream.join();
            ApiClient.Response finished = api.get(TestTokens.ops(), "/admin/rebuilds/current");

            assertThat(started.status()).isEqualTo(202);
            assertThat(second.status()).as("one rebuild at a time").isEqualTo(409);
            assertThat(progress.text("/state")).isIn("RUNNING", "SWITCHING", "DONE");
            assertThat(Long.parseLong(progress.text("/eventsTotal"))).isGreaterThan(600);
            assertThat(finished.text("/state")).as("%s", finished).isEqualTo("DONE");
            assertThat(finished.text("/eventsToGo")).isEqualTo("0");
            assertThat(queryStatuses).as("queries answered throughout").isNotEmpty().containsOnly(200);
            assertThat(duringRebuild).isNotEmpty();

            OrderId last;
            synchronized (duringRebuild) {
                last = duringRebuild.get(duringRebuild.size() - 1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get(TestTokens.ops(), "/orders/" + last)
                    .status() == 200);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<OrderView> live = orderViews(ViewCollections.LIVE);
            List<OrderView> clean = orderViews(cleanProjection());
            List<OrderView> onlyLive = new ArrayList<>(live);
            onlyLive.removeAll(clean);
            List<OrderView> onlyClean = new ArrayList<>(clean);
            onlyClean.removeAll(live);
            assertThat(onlyLive).as("live views that differ from a clean projection (clean has %s)", onlyClean)
                    .isEmpty();
            assertThat(onlyClean).isEmpty();
        });
        assertThat(mongo.findById(customer.toString(), CustomerOrderSummary.class, "customer_order_summaries")
                .orderCount()).isGreaterThan(300);
    }

    @Test
    void cancelsARunningRebuildLeavingTheLiveViewsAsTheyWereAndNoCopyBehind() {
        ApiClient api = new ApiClient(port);
        try (EventPublisher kafka = new EventPublisher()) {
            CustomerId customer = TestEvents.newCustomer();
            for (int i = 0; i < 200; i++) {
                kafka.publish(TestEvents.placed(TestEvents.newOrder(), customer, T0.plusSeconds(i)));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !List.of("RUNNING", "SWITCHING").contains(
                String.valueOf(api.get(TestTokens.ops(), "/admin/rebuilds/current").text("/state"))));
        List<OrderView> before = orderViews(ViewCollections.LIVE);

        ApiClient.Response started = api.post(TestTokens.ops(), "/admin/rebuilds/all", null);
        ApiClient.Response cancelled = api.delete(TestTokens.ops(), "/admin/rebuilds/current");
        await().atMost(Duration.ofSeconds(30)).until(() -> !List.of("RUNNING", "SWITCHING").contains(
                api.get(TestTokens.ops(), "/admin/rebuilds/current").text("/state")));

        assertThat(started.status()).isEqualTo(202);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(api.get(TestTokens.ops(), "/admin/rebuilds/current").text("/state")).isEqualTo("CANCELLED");
        assertThat(mongo.getCollectionNames()).noneMatch(name -> name.contains("_rebuild_"));
        assertThat(orderViews(ViewCollections.LIVE)).isEqualTo(before);
        assertThat(api.delete(TestTokens.ops(), "/admin/rebuilds/current").status()).as("nothing left to cancel")
                .isEqualTo(404);
    }

    /** Every event on the topics, projected once into a scratch set of collections. */
    private ViewCollections cleanProjection() {
        ViewCollections scratch = ViewCollections.suffixed("_clean_" + UUID.randomUUID());
        try (TopicScan.Scan scan = topics.open(Topics.ALL, new TopicScan.Earliest())) {
            scan.readAll(batch -> projection.projectPastFailures(batch, scratch, false, (record, failure) -> { }));
        }
        return scratch;
    }

    private List<OrderView> orderViews(ViewCollections views) {
        return mongo.findAll(OrderView.class, views.orderViews()).stream().map(view -> view.withRevision(0))
                .sorted(Comparator.comparing(OrderView::id)).toList();
    }
}

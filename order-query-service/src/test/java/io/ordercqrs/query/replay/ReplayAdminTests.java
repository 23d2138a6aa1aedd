package io.ordercqrs.query.replay;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.Topics;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.customersummary.CustomerOrderSummary;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/** Ops repair views by replaying events: one order, or a topic from a time or offset. */
@QueryServiceTest
class ReplayAdminTests {

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    ActiveViews active;

    @Autowired
    CustomerOrderSummaries summaries;

    @Autowired
    ApplicationContext context;

    private ApiClient api;
    private final EventPublisher kafka = new EventPublisher();
    private final CustomerId customer = TestEvents.newCustomer();

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void restoresAViewCorruptedByHandFromTheOrderTopicAndChangesNothingTheSecondTime() {
        OrderId order = TestEvents.newOrder();
        kafka.publish(TestEvents.registered(customer, "Ada", "ada@example.org"),
                TestEvents.placed(order, customer, T0), TestEvents.paid(order, customer, T0.plusSeconds(5)));
        OrderView healthy = awaitView(order, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> view(order).customerName() != null);
        healthy = view(order);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(order.toString())),
                new Update().set("status", "CANCELLED").set("customerName", "Mallory").unset("lines"), active.current().collection(OrderView.VIEW));

        ApiClient.Response replayed = api.post(TestTokens.ops(), "/admin/replay/orders/" + order, null);
        ApiClient.Response again = api.post(TestTokens.ops(), "/admin/replay/orders/" + order, null);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.text("/changed")).isEqualTo("true");
        assertThat(replayed.text("/eventsRead")).isEqualTo("2");
        assertThat(view(order).asSeen()).isEqualTo(healthy.asSeen());
        assertThat(again.text("/changed")).isEqualTo("false");
        assertThat(summary().orderCount()).as("the order is not counted again").isEqualTo(1);
        assertThat(summary().countsByStatus()).containsOnly(entry(OrderStatus.PAID, 1L));
    }

    @Test
    void bringsBackADeletedViewByReplayingTheTopicFromAnOffset() {
        OrderId order = TestEvents.newOrder();
        kafka.publish(TestEvents.placed(order, customer, T0));
        OrderView healthy = awaitView(order, 1);
        mongo.remove(Query.query(Criteria.where("_id").is(order.toString())), active.current().collection(OrderView.VIEW));

        ApiClient.Response replayed = api.post(TestTokens.ops(), "/admin/replay/topics/" + Topics.ORDER_EVENTS
                + "?fromOffset=0", null);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(Long.parseLong(replayed.text("/applied"))).isGreaterThanOrEqualTo(1);
        assertThat(view(order).asSeen()).isEqualTo(healthy.asSeen());
        assertThat(summary().orderCount()).as("the order is not counted again").isEqualTo(1);
    }

    @Test
    void countsWhatAReplayBringsIntoTheViewsOnceInTheCustomersSummary() {
        OrderId order = TestEvents.newOrder();
        placedAndCounted(order);
        mongo.remove(Query.query(Criteria.where("_id").is(order.toString())), active.current().collection(OrderView.VIEW));
        kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(TestTokens.ops(), "/admin/dead-letters?aggregate="
                + order).body().get("items").size() == 1);
        String gap = api.get(TestTokens.ops(), "/admin/dead-letters?aggregate=" + order).text("/items/0/id");
        api.post(TestTokens.ops(), "/admin/dead-letters/" + gap + "/discard", Map.of("reason", "the view was lost"));

        ApiClient.Response replayed = api.post(TestTokens.ops(), "/admin/replay/topics/" + Topics.ORDER_EVENTS
                + "?fromOffset=0", null);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(view(order).status()).isEqualTo(OrderStatus.PAID);
        CustomerOrderSummary summary = summary();
        assertThat(summary.orderCount()).as("the order counted once").isEqualTo(1);
        assertThat(summary.countsByStatus()).containsOnly(entry(OrderStatus.PAID, 1L));
        assertThat(summary.lifetimeSpend()).containsExactly(new Amount("30.00", "EUR"));
    }

    @Test
    void neverReplaysPastWhatTheLiveConsumersAppliedSoTheyCountWhatTheyApplyLater() {
        OrderId first = TestEvents.newOrder();
        placedAndCounted(first);
        OrderId second = TestEvents.newOrder();
        while (kafka.partitionOf(TestEvents.placed(second, customer, T0)) != kafka.partitionOf(
                TestEvents.placed(first, customer, T0))) {
            second = TestEvents.newOrder();
        }
        SmartLifecycle supervisor = context.getBean("generationSupervisor", SmartLifecycle.class);
        ApiClient.Response replayed;
        OrderView secondAfterReplay;
        supervisor.stop();
        try {
            // The live consumers stopped before both: a replay from the second would reach it before them.
            kafka.publish(TestEvents.paid(first, customer, T0.plusSeconds(5)));
            long secondAt = kafka.publishAt(TestEvents.placed(second, customer, T0.plusSeconds(6))).offset();
            replayed = api.post(TestTokens.ops(), "/admin/replay/topics/" + Topics.ORDER_EVENTS + "?fromOffset="
                    + secondAt, null);
            secondAfterReplay = view(second);
        }
        finally {
            supervisor.start();
        }
        awaitView(first, 2);
        awaitView(second, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> summary().orderCount() == 2);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(secondAfterReplay).as("left to the live consumers").isNull();
        assertThat(summary().countsByStatus()).as("the payment counted by the consumers that applied it")
                .containsOnly(entry(OrderStatus.PLACED, 1L), entry(OrderStatus.PAID, 1L));
    }

    @Test
    void neverParksARecordOpsDiscardedAgain() {
        OrderId order = TestEvents.newOrder();
        ProducerRecord<String, byte[]> placed = EventPublisher.record(TestEvents.placed(order, customer, T0));
        kafka.publishRaw(new ProducerRecord<>(placed.topic(), null, placed.key(), "not json".getBytes(),
                placed.headers()));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(TestTokens.ops(), "/admin/dead-letters?aggregate="
                + order).body().get("items").size() == 1);
        String letter = api.get(TestTokens.ops(), "/admin/dead-letters?aggregate=" + order).text("/items/0/id");
        api.post(TestTokens.ops(), "/admin/dead-letters/" + letter + "/discard", Map.of("reason", "not an event"));

        ApiClient.Response replayed = api.post(TestTokens.ops(), "/admin/replay/topics/" + Topics.ORDER_EVENTS
                + "?fromOffset=0", null);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(api.get(TestTokens.ops(), "/admin/dead-letters?aggregate=" + order).body().get("items"))
                .as("nothing stuck again").isEmpty();
        assertThat(api.get(TestTokens.ops(), "/admin/dead-letters/" + letter).text("/letter/status"))
                .isEqualTo("DISCARDED");
    }

    @Test
    void refusesBadReplayRequestsNamingTheField() {
        OrderId unknown = TestEvents.newOrder();

        ApiClient.Response badSource = api.post(TestTokens.ops(), "/admin/replay/orders/" + unknown + "?source=disk",
                null);
        ApiClient.Response nothing = api.post(TestTokens.ops(), "/admin/replay/orders/" + unknown, null);
        ApiClient.Response badTopic = api.post(TestTokens.ops(), "/admin/replay/topics/nope?fromOffset=0", null);
        ApiClient.Response noStart = api.post(TestTokens.ops(), "/admin/replay/topics/" + Topics.ORDER_EVENTS, null);

        assertThat(badSource.status()).isEqualTo(400);
        assertThat(badSource.text("/errors/0/field")).isEqualTo("source");
        assertThat(nothing.status()).isEqualTo(409);
        assertThat(nothing.text("/detail")).contains("holds no events");
        assertThat(badTopic.status()).isEqualTo(400);
        assertThat(noStart.status()).isEqualTo(400);
    }

    private CustomerOrderSummary summary() {
        return summaries.in(active.current()).findById(customer.toString()).orElseThrow();
    }

    /** Registers the customer and places {@code order}, until the view and the customer's summary have it. */
    private void placedAndCounted(OrderId order) {
        kafka.publish(TestEvents.registered(customer, "Ada", "ada@example.org"), TestEvents.placed(order, customer, T0));
        awaitView(order, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> summary().orderCount() == 1);
    }

    private OrderView awaitView(OrderId order, long version) {
        await().atMost(Duration.ofSeconds(20)).until(() -> view(order) != null && view(order).version() >= version);
        return view(order);
    }

    private OrderView view(OrderId order) {
        return mongo.findById(order.toString(), OrderView.class, active.current().collection(OrderView.VIEW));
    }
}

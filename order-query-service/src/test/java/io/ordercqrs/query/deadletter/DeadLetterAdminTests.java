package io.ordercqrs.query.deadletter;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/** Ops list, show, retry and discard dead letters; a successful retry releases what was held, in order. */
@QueryServiceTest
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterAdminTests {

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    ActiveViews active;

    @Autowired
    DeadLetters deadLetters;

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
    void appliesTheHeldEventsInOrderOnceTheMissingOneArrivedAndTheParkedOneIsRetried(CapturedOutput output) {
        OrderId order = TestEvents.newOrder();
        kafka.publish(TestEvents.placed(order, customer, T0), TestEvents.shipped(order, customer, T0.plusSeconds(20)),
                TestEvents.delivered(order, customer, T0.plusSeconds(30)));
        List<DeadLetter> stuck = awaitLetters(order, 2);
        kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(10)));
        awaitLetters(order, 3);

        ApiClient.Response listed = api.get(TestTokens.ops(), "/admin/dead-letters?aggregate=" + order);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("items")).extracting(item -> item.get("status").asString())
                .containsExactly("PARKED", "HELD", "HELD");
        assertThat(listed.text("/outboxUnavailable")).as("no command service runs in this test").isNotNull();
        ApiClient.Response shown = api.get(TestTokens.ops(), "/admin/dead-letters/" + stuck.get(0).id());
        assertThat(shown.text("/letter/errorType")).isEqualTo("VersionGap");
        assertThat(shown.text("/payload")).contains("\"carrier\":\"DHL\"");

        ApiClient.Response retried = api.post(TestTokens.ops(), "/admin/dead-letters/" + stuck.get(0).id() + "/retry",
                null);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("resolved")).hasSize(3);
        assertThat(retried.body().hasNonNull("stillParked")).as("nothing parked again").isFalse();
        OrderView view = mongo.findById(order.toString(), OrderView.class, active.current().collection(OrderView.VIEW));
        assertThat(view.version()).isEqualTo(4);
        assertThat(view.timeline()).extracting(OrderView.StatusChange::status)
                .containsExactly(OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED);
        assertThat(letters(order)).extracting(DeadLetter::status).containsOnly(DeadLetterStatus.RESOLVED);
        assertThat(output.getOut()).containsPattern("admin action by ops-[0-9a-f-]+: retry dead letter "
                + java.util.regex.Pattern.quote(stuck.get(0).id()) + " -> resolved");
    }

    @Test
    void discardsALetterWithItsReasonAndTriesWhatWasHeldBehindIt(CapturedOutput output) {
        OrderId order = TestEvents.newOrder();
        List<DeadLetter> stuck = unreadablePlacementAndItsPayment(order);

        ApiClient.Response noReason = api.post(TestTokens.ops(), "/admin/dead-letters/" + stuck.get(0).id()
                + "/discard", Map.of());
        ApiClient.Response discarded = api.post(TestTokens.ops(), "/admin/dead-letters/" + stuck.get(0).id()
                + "/discard", Map.of("reason", "garbage from a test producer"));

        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.text("/errors/0/field")).isEqualTo("reason");
        assertThat(discarded.status()).isEqualTo(200);
        assertThat(discarded.text("/stillParked/id")).as("the payment cannot apply without its order")
                .isEqualTo(stuck.get(1).id());
        assertThat(letters(order)).extracting(DeadLetter::status, DeadLetter::note).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DeadLetterStatus.DISCARDED, "garbage from a test producer"),
                org.assertj.core.groups.Tuple.tuple(DeadLetterStatus.PARKED, null));
        assertThat(output.getOut()).containsPattern("admin action by ops-[0-9a-f-]+: discard dead letter "
                + java.util.regex.Pattern.quote(stuck.get(0).id() + " because 'garbage from a test producer'"));
        assertThat(api.post(TestTokens.ops(), "/admin/dead-letters/" + stuck.get(0).id() + "/retry", null).status())
                .as("a discarded letter is closed").isEqualTo(409);
        assertThat(api.post(TestTokens.ops(), "/admin/dead-letters/no-such-letter/retry", null).status())
                .isEqualTo(404);
    }

    @Test
    void keepsALetterDiscardedWhileARetryOfItWasFailingAndHoldsNothingBehindIt() {
        OrderId order = TestEvents.newOrder();
        List<DeadLetter> stuck = unreadablePlacementAndItsPayment(order);
        assertThat(api.post(TestTokens.ops(), "/admin/dead-letters/" + stuck.get(0).id() + "/discard",
                Map.of("reason", "garbage from a test producer")).status()).isEqualTo(200);

        // A retry that read both letters before the discard (on another instance, say) fails late.
        deadLetters.repark(stuck.get(0), new IllegalStateException("still not json"), List.of(stuck.get(1)));

        assertThat(letters(order)).extracting(DeadLetter::status).as("discarded stays discarded; the payment is "
                + "parked on its own, not held behind it").containsExactly(DeadLetterStatus.DISCARDED,
                DeadLetterStatus.PARKED);
    }

    @Test
    void retriesAllParkedLettersMatchingAFilter() {
        OrderId order = TestEvents.newOrder();
        kafka.publish(TestEvents.placed(order, customer, T0), TestEvents.shipped(order, customer, T0.plusSeconds(20)));
        awaitLetters(order, 1);
        kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(10)));
        awaitLetters(order, 2);

        ApiClient.Response retried = api.post(TestTokens.ops(), "/admin/dead-letters/retry?aggregate=" + order, null);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(mongo.findById(order.toString(), OrderView.class, active.current().collection(OrderView.VIEW)).status())
                .isEqualTo(OrderStatus.SHIPPED);
    }

    private List<DeadLetter> awaitLetters(OrderId order, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> letters(order).size() >= count);
        return letters(order);
    }

    /** Publishes an order placement that is not JSON, then its payment: both end up as letters. */
    private List<DeadLetter> unreadablePlacementAndItsPayment(OrderId order) {
        ProducerRecord<String, byte[]> placed = EventPublisher.record(TestEvents.placed(order, customer, T0));
        kafka.publishRaw(new ProducerRecord<>(placed.topic(), null, placed.key(), "not json".getBytes(),
                placed.headers()));
        kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(1)));
        return awaitLetters(order, 2);
    }

    private List<DeadLetter> letters(OrderId order) {
        return mongo.find(Query.query(Criteria.where("key").is(order.toString())
                        .and("generation").is(active.current().generation())).with(Sort.by("offset")),
                DeadLetter.class, "dead_letters");
    }
}

package io.ordercqrs.query.projection;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.customersummary.CustomerOrderSummary;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViews;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.TestPropertySource;

/**
 * A step fails once after a batch's views are written (MongoDB after the customer join, a bug after
 * the summary totals): nothing is parked, the batch runs again, its events are duplicates by then,
 * and still every order view and the summary come out right, nothing counted twice or left out.
 * A failure while writing one record's documents stops the batch at that record alone. Its own
 * database and consumer group keep other tests' batches out of the way.
 */
@QueryServiceTest
@TestPropertySource(properties = {"spring.mongodb.database=after_write_failures",
        "spring.kafka.consumer.group-id=after-write-failures"})
@Import(AfterWriteFailureTests.Failures.class)
class AfterWriteFailureTests {

    /** Where, among the steps after the views are written, MongoDB fails. */
    enum Step { AFTER_THE_JOIN, AFTER_THE_SUMMARY }

    @Autowired
    MongoTemplate mongo;

    @Autowired
    Failures failures;

    @Autowired
    ActiveViews active;

    @Autowired
    OrderViews orderViews;

    @Autowired
    CustomerOrderSummaries summaries;

    @Autowired
    EventProjection projection;

    @ParameterizedTest
    @EnumSource(Step.class)
    void repairsTheJoinAndTheSummaryWhenTheBatchRunsAgain(Step step) {
        CustomerId customer = TestEvents.newCustomer();
        OrderId first = TestEvents.newOrder();
        OrderId second = TestEvents.newOrder();
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publish(TestEvents.registered(customer, "Ada", "ada@example.org"),
                    TestEvents.placed(first, customer, T0), TestEvents.paid(first, customer, T0.plusSeconds(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> view(first) != null && view(first).version() == 2);
            failures.arm(step, second.toString());

            kafka.publish(TestEvents.detailsChanged(customer, 2, "Ada King", "king@example.org"),
                    TestEvents.placed(second, customer, T0.plusSeconds(60)),
                    TestEvents.paid(second, customer, T0.plusSeconds(61)));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(view(second)).isNotNull();
            assertThat(view(second).version()).isEqualTo(2);
            assertThat(List.of(view(first), view(second))).extracting(OrderView::customerName)
                    .containsOnly("Ada King");
            CustomerOrderSummary summary = summaries.in(active.current()).findById(customer.toString()).orElseThrow();
            assertThat(summary.name()).isEqualTo("Ada King");
            assertThat(summary.orderCount()).isEqualTo(2);
            assertThat(summary.countsByStatus()).containsOnly(entry(OrderStatus.PAID, 2L));
            assertThat(summary.lifetimeSpend()).containsExactly(new Amount("60.00", "EUR"));
        });
        assertThat(failures.fired(step)).as("the step failed once %s", step).isTrue();
        assertThat(mongo.getDb().getName()).isEqualTo("after_write_failures");
        assertThat(mongo.count(Query.query(Criteria.where("key").in(first.toString(), second.toString(),
                customer.toString())), "dead_letters")).as("nothing parked for a failure after the writes").isZero();
    }

    @Test
    void stopsAtTheOneRecordWhoseDocumentsCannotBeWrittenAndWritesWhatCameBefore() {
        CustomerId customer = TestEvents.newCustomer();
        OrderId before = TestEvents.newOrder();
        OrderId culprit = TestEvents.newOrder();
        OrderId after = TestEvents.newOrder();
        ViewSet scratch = ViewSet.scratch("isolation_" + UUID.randomUUID().toString().replace("-", ""));
        failures.armBroken(culprit.toString());

        EventProjection.Outcome outcome = projection.project(List.of(
                EventPublisher.consumed(TestEvents.placed(before, customer, T0), 0, 0),
                EventPublisher.consumed(TestEvents.placed(culprit, customer, T0), 0, 1),
                EventPublisher.consumed(TestEvents.placed(after, customer, T0), 0, 2)), scratch, Delivery.IN_ORDER);

        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().index()).as("the record whose step fails, not the batch").isEqualTo(1);
        assertThat(outcome.failure().cause()).hasMessageContaining("broken");
        assertThat(orderViews.in(scratch).findById(before.toString())).as("what came before is written").isPresent();
        assertThat(projection.project(List.of(EventPublisher.consumed(TestEvents.placed(after, customer, T0), 0, 2)),
                scratch, Delivery.IN_ORDER).failure()).as("what follows applies once the culprit is parked").isNull();
    }

    /**
     * A page of the command side's history applied again by the reader that took the read over
     * from one that died: whether the dead reader's batch counted the page or died after the views
     * were written, and with an order that committed between the two reads placed among the rows,
     * every order is counted once.
     */
    @ParameterizedTest(name = "the dead reader counted the page: {0}")
    @ValueSource(booleans = {true, false})
    void countsAHistoryPageOnceWhenTheReaderThatTookOverAppliesItAgain(boolean deadReaderCounted) {
        CustomerId customer = TestEvents.newCustomer();
        OrderId first = TestEvents.newOrder();
        OrderId second = TestEvents.newOrder();
        OrderId committedMeanwhile = TestEvents.newOrder();
        ViewSet scratch = ViewSet.scratch("history_" + UUID.randomUUID().toString().replace("-", ""));
        if (!deadReaderCounted) {
            failures.arm(Step.AFTER_THE_JOIN, second.toString());
        }
        boolean died = false;
        try {
            projection.fold(history(1, TestEvents.registered(customer, "Ada", "ada@example.org"),
                    TestEvents.placed(first, customer, T0), TestEvents.paid(first, customer, T0.plusSeconds(1)),
                    TestEvents.placed(second, customer, T0.plusSeconds(2))), scratch);
        }
        catch (BatchFailure afterTheViews) {
            died = true;
        }

        EventProjection.Outcome again = projection.fold(history(2,
                TestEvents.registered(customer, "Ada", "ada@example.org"),
                TestEvents.placed(first, customer, T0), TestEvents.placed(committedMeanwhile, customer, T0),
                TestEvents.paid(first, customer, T0.plusSeconds(1)),
                TestEvents.placed(second, customer, T0.plusSeconds(2))), scratch);

        assertThat(died).as("the first reader died after writing the views").isEqualTo(!deadReaderCounted);
        assertThat(again.failure()).isNull();
        CustomerOrderSummary summary = summaries.in(scratch).findById(customer.toString()).orElseThrow();
        assertThat(summary.orderCount()).isEqualTo(3);
        assertThat(summary.countsByStatus()).containsOnly(entry(OrderStatus.PAID, 1L), entry(OrderStatus.PLACED, 2L));
    }

    /** The events as the {@code read}-th reader of a rebuild's history applies them, from its first position. */
    private static List<SourcedEvent> history(int read, DomainEvent... events) {
        List<SourcedEvent> sourced = new ArrayList<>();
        for (DomainEvent event : events) {
            sourced.add(new SourcedEvent(event, Origin.history(read, sourced.size()), null));
        }
        return sourced;
    }

    private OrderView view(OrderId order) {
        return orderViews.in(active.current()).findById(order.toString()).orElse(null);
    }

    /** A document of the test's own view. */
    record Marker(String id, long version, long revision) {
    }

    /** Steps that fail once, when armed, for the first batch that touches a given order. */
    @TestConfiguration
    static class Failures {

        private final AtomicReference<String> afterJoin = new AtomicReference<>();
        private final AtomicReference<String> afterSummary = new AtomicReference<>();
        private volatile boolean firedAfterJoin;
        private volatile boolean firedAfterSummary;

        private final AtomicReference<String> broken = new AtomicReference<>();

        /** Makes every batch that touches {@code orderId} fail, as a bug about that one record would. */
        void armBroken(String orderId) {
            broken.set(orderId);
        }

        /** A view whose documents of one order cannot be written, as a mapping bug about that record would. */
        @Bean
        Projector<Marker> breaksOnOneOrder() {
            return new Projector<>() {
                @Override
                public String view() {
                    return "markers";
                }

                @Override
                public Class<Marker> documentType() {
                    return Marker.class;
                }

                @Override
                public String documentId(DomainEvent event) {
                    return event instanceof OrderEvent order ? order.orderId().toString() : null;
                }

                @Override
                public String id(Marker document) {
                    return document.id();
                }

                @Override
                public long version(Marker document) {
                    return document.version();
                }

                @Override
                public Marker apply(Marker current, DomainEvent event, Origin origin, String traceId) {
                    return new Marker(documentId(event), event.sequence(), current == null ? 0 : current.revision());
                }

                @Override
                public Map<String, Marker> complete(Map<String, Marker> documents, Map<String, Marker> stored,
                        ViewSet views) {
                    if (documents.containsKey(broken.get())) {
                        throw new IllegalStateException("broken on order " + broken.get() + " (injected)");
                    }
                    return documents;
                }

                @Override
                public long revision(Marker document) {
                    return document.revision();
                }

                @Override
                public Marker withRevision(Marker document, long revision) {
                    return new Marker(document.id(), document.version(), revision);
                }
            };
        }

        void arm(Step step, String orderId) {
            (step == Step.AFTER_THE_JOIN ? afterJoin : afterSummary).set(orderId);
        }

        boolean fired(Step step) {
            return step == Step.AFTER_THE_JOIN ? firedAfterJoin : firedAfterSummary;
        }

        @Bean
        @Order(15)
        AfterWrite failsAfterTheJoin() {
            return batch -> {
                String order = afterJoin.get();
                if (order != null && batch.documents(OrderView.class).containsKey(order)
                        && afterJoin.compareAndSet(order, null)) {
                    firedAfterJoin = true;
                    throw new DataAccessResourceFailureException("MongoDB failed after the join (injected)");
                }
            };
        }

        @Bean
        @Order(25)
        AfterWrite failsAfterTheSummary() {
            return batch -> {
                String order = afterSummary.get();
                if (order != null && batch.documents(OrderView.class).containsKey(order)
                        && afterSummary.compareAndSet(order, null)) {
                    firedAfterSummary = true;
                    throw new IllegalStateException("A step after the summary failed (injected)");
                }
            };
        }
    }
}

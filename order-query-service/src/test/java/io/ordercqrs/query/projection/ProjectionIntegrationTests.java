package io.ordercqrs.query.projection;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customer.CustomerView;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.customersummary.CustomerOrderSummary;
import io.ordercqrs.query.deadletter.DeadLetter;
import io.ordercqrs.query.deadletter.DeadLetterStatus;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.orderview.OrderViews;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/** Events on Kafka become order views and customer summaries, field by field. */
@QueryServiceTest
class ProjectionIntegrationTests {

    @Autowired
    MongoTemplate mongo;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ActiveViews active;

    @Autowired
    OrderViews orderViews;

    @Autowired
    CustomerOrderSummaries summaries;

    private final EventPublisher kafka = new EventPublisher();
    private final CustomerId customer = TestEvents.newCustomer();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void projectsAnOrdersWholeLifecycleIntoItsViewAndTheCustomersSummary() {
        OrderId order = TestEvents.newOrder();
        Instant paidAt = T0.plusSeconds(60);
        Instant shippedAt = T0.plusSeconds(3600);
        Instant deliveredAt = T0.plusSeconds(7200);

        kafka.publish(TestEvents.registered(customer, "Ada Lovelace", "ada@example.org"),
                TestEvents.placed(order, customer, T0), TestEvents.paid(order, customer, paidAt),
                TestEvents.shipped(order, customer, shippedAt), TestEvents.delivered(order, customer, deliveredAt));

        OrderView view = awaitView(order, 4);
        assertThat(view.customerId()).isEqualTo(customer.toString());
        assertThat(view.customerName()).isEqualTo("Ada Lovelace");
        assertThat(view.customerEmail()).isEqualTo("ada@example.org");
        assertThat(view.status()).isEqualTo(OrderStatus.DELIVERED);
        assertThat(view.lines()).containsExactly(
                new OrderView.Line("SKU-1", "Espresso beans 1 kg", 2, new Amount("12.50", "EUR"),
                        new Amount("25.00", "EUR")),
                new OrderView.Line("SKU-2", "Milk frother", 1, new Amount("5.00", "EUR"), new Amount("5.00", "EUR")));
        assertThat(view.total()).isEqualTo(new Amount("30.00", "EUR"));
        assertThat(view.shippingAddress()).isEqualTo(
                new OrderView.Address("Ada Lovelace", "1 Analytical Way", "10115", "Berlin", "DE"));
        assertThat(view.payment()).isEqualTo(new OrderView.Payment(new Amount("30.00", "EUR"), "PAY-" + order, paidAt));
        assertThat(view.shipment()).isEqualTo(new OrderView.Shipment("DHL", "TRACK-1", shippedAt, deliveredAt));
        assertThat(view.timeline()).extracting(OrderView.StatusChange::status, OrderView.StatusChange::at,
                OrderView.StatusChange::version).containsExactly(
                tuple(OrderStatus.PLACED, T0, 1L),
                tuple(OrderStatus.PAID, paidAt, 2L),
                tuple(OrderStatus.SHIPPED, shippedAt, 3L),
                tuple(OrderStatus.DELIVERED, deliveredAt, 4L));
        assertThat(view.placedAt()).isEqualTo(T0);
        assertThat(view.updatedAt()).isEqualTo(deliveredAt);

        CustomerOrderSummary summary = awaitSummary(found -> found.countsByStatus().get(OrderStatus.DELIVERED) != null);
        assertThat(summary.name()).isEqualTo("Ada Lovelace");
        assertThat(summary.orderCount()).isEqualTo(1);
        assertThat(summary.countsByStatus()).containsOnly(entry(OrderStatus.DELIVERED, 1L));
        assertThat(summary.lifetimeSpend()).containsExactly(new Amount("30.00", "EUR"));
        assertThat(summary.lastOrder()).isEqualTo(new CustomerOrderSummary.RecentOrder(order.toString(),
                OrderStatus.DELIVERED, new Amount("30.00", "EUR"), T0));
    }

    @Test
    void completesAnOrderViewWhenItsCustomersEventArrivesLater() {
        OrderId order = TestEvents.newOrder();
        kafka.publish(TestEvents.placed(order, customer, T0));
        OrderView early = awaitView(order, 1);
        assertThat(early.customerName()).as("the customer is not known yet").isNull();

        kafka.publish(TestEvents.registered(customer, "Grace Hopper", "grace@example.org"));

        await().atMost(Duration.ofSeconds(20)).until(() -> view(order).customerName() != null);
        assertThat(view(order).customerName()).isEqualTo("Grace Hopper");
        assertThat(view(order).customerEmail()).isEqualTo("grace@example.org");
        assertThat(awaitSummary(found -> found.name() != null).orderCount()).isEqualTo(1);
    }

    @Test
    void carriesACustomersNewDetailsIntoAllTheirOrderViews() {
        OrderId first = TestEvents.newOrder();
        OrderId second = TestEvents.newOrder();
        kafka.publish(TestEvents.registered(customer, "Ada Lovelace", "ada@example.org"),
                TestEvents.placed(first, customer, T0), TestEvents.placed(second, customer, T0.plusSeconds(5)));
        awaitView(first, 1);
        awaitView(second, 1);

        kafka.publish(TestEvents.detailsChanged(customer, 2, "Ada King", "countess@example.org"));

        await().atMost(Duration.ofSeconds(20)).until(() ->
                "Ada King".equals(view(first).customerName()) && "Ada King".equals(view(second).customerName()));
        assertThat(List.of(view(first), view(second))).extracting(OrderView::customerEmail)
                .containsOnly("countess@example.org");
        CustomerOrderSummary summary = awaitSummary(found -> "Ada King".equals(found.name()));
        assertThat(summary.orderCount()).isEqualTo(2);
        assertThat(summary.recentOrders()).extracting(CustomerOrderSummary.RecentOrder::orderId)
                .containsExactly(second.toString(), first.toString());
    }

    @Test
    void joinsTheCustomersDetailsAsStoredWhenItWritesAnOrderViewThoughItReadOlderOnesBefore() {
        OrderId first = TestEvents.newOrder();
        OrderId second = TestEvents.newOrder();
        kafka.publish(TestEvents.registered(customer, "Ada Lovelace", "ada@example.org"),
                TestEvents.placed(first, customer, T0));
        assertThat(awaitView(first, 1).customerName()).isEqualTo("Ada Lovelace");
        // Another instance applies the customer's change meanwhile: stored, but not what this instance read last.
        mongo.updateFirst(Query.query(Criteria.where("_id").is(customer.toString())),
                new Update().set("name", "Ada King").set("email", "countess@example.org").set("version", 2L)
                        .inc("revision", 1),
                active.current().collection(CustomerView.VIEW));

        kafka.publish(TestEvents.placed(second, customer, T0.plusSeconds(5)));

        await().atMost(Duration.ofSeconds(20)).until(() -> view(second) != null
                && "Ada King".equals(view(second).customerName()));
        assertThat(view(second).customerEmail()).isEqualTo("countess@example.org");
        assertThat(view(second).customerVersion()).isEqualTo(2);
    }

    @Test
    void parksAnEventThatSkipsASequenceAndHoldsTheOrdersLaterEventsBehindIt() {
        OrderId order = TestEvents.newOrder();
        OrderId unaffected = TestEvents.newOrder();
        kafka.publish(TestEvents.placed(order, customer, T0),
                TestEvents.shipped(order, customer, T0.plusSeconds(60)),
                TestEvents.delivered(order, customer, T0.plusSeconds(120)),
                TestEvents.placed(unaffected, customer, T0));

        awaitView(unaffected, 1);
        List<DeadLetter> letters = awaitLetters(order, 2);
        assertThat(letters).extracting(DeadLetter::sequence, DeadLetter::status, DeadLetter::errorType)
                .containsExactly(
                        tuple(3L, DeadLetterStatus.PARKED, "VersionGap"),
                        tuple(4L, DeadLetterStatus.HELD, null));
        assertThat(letters.get(0).attempts()).isEqualTo(3);
        assertThat(letters.get(0).error()).contains("events 2..2 are missing");
        assertThat(letters.get(1).blockedBy()).isEqualTo(letters.get(0).id());
        assertThat(view(order).version()).as("nothing applied over the gap").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(letterGauge("parked")).as("dead letters by state, as stored")
                    .isEqualTo(mongo.count(Query.query(Criteria.where("status").is("PARKED")), "dead_letters"))
                    .isPositive();
            assertThat(letterGauge("held"))
                    .isEqualTo(mongo.count(Query.query(Criteria.where("status").is("HELD")), "dead_letters"))
                    .isPositive();
        });
    }

    private long letterGauge(String state) {
        return (long) meters.get("ordercqrs.projection.dead-letters").tag("state", state).gauge().value();
    }

    @Test
    void reportsEventsAppliedProjectionLagAndOpenDeadLetters() {
        double appliedBefore = meters.get("ordercqrs.projection.events.applied").counter().count();
        OrderId order = TestEvents.newOrder();

        kafka.publish(TestEvents.placed(order, customer, T0), TestEvents.paid(order, customer, T0.plusSeconds(1)));
        awaitView(order, 2);

        // The batch counts its events once its derived data are written too, a moment after the view.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(meters.get("ordercqrs.projection.events.applied").counter().count())
                        .isGreaterThanOrEqualTo(appliedBefore + 2));
        assertThat(meters.get("ordercqrs.projection.lag").timer().count()).isPositive();
        assertThat(meters.get("ordercqrs.projection.lag").timer().takeSnapshot().histogramCounts())
                .as("a histogram for dashboards").isNotEmpty();
        assertThat(meters.get("ordercqrs.projection.lag.last").gauge().value()).as("T0 lies in the past").isPositive();
        assertThat(meters.get("ordercqrs.projection.dead-letters.open").gauge().value()).isNotNegative();
    }

    private OrderView awaitView(OrderId order, long version) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            OrderView view = view(order);
            return view != null && view.version() >= version;
        });
        return view(order);
    }

    private OrderView view(OrderId order) {
        return orderViews.in(active.current()).findById(order.toString()).orElse(null);
    }

    private CustomerOrderSummary awaitSummary(Predicate<CustomerOrderSummary> done) {
        await().atMost(Duration.ofSeconds(20)).until(() -> summary().filter(done).isPresent());
        return summary().orElseThrow();
    }

    private Optional<CustomerOrderSummary> summary() {
        return summaries.in(active.current()).findById(customer.toString());
    }

    private List<DeadLetter> awaitLetters(OrderId order, int count) {
        Query query = Query.query(Criteria.where("key").is(order.toString())
                .and("generation").is(active.current().generation())).with(Sort.by("offset"));
        await().atMost(Duration.ofSeconds(30)).until(() -> mongo.find(query, DeadLetter.class, "dead_letters").size()
                >= count);
        return mongo.find(query, DeadLetter.class, "dead_letters");
    }
}

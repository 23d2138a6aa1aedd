package io.ordercqrs.query.projection;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.customersummary.CustomerOrderSummaries;
import io.ordercqrs.query.customersummary.CustomerOrderSummary;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Effectively-once views: every event delivered twice, in shuffled batches across both topics,
 * gives the same views as one clean delivery.
 */
@QueryServiceTest
class DuplicateDeliveryTests {

    @Autowired
    EventProjection projection;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    CustomerOrderSummaries summaries;

    private final Random random = new Random(20261123);

    @Test
    void buildsTheSameViewsFromEveryEventTwiceInShuffledBatchesAsFromOneCleanDelivery() {
        List<DomainEvent> customerEvents = new ArrayList<>();
        List<DomainEvent> orderEvents = new ArrayList<>();
        List<CustomerId> customers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            CustomerId customer = TestEvents.newCustomer();
            customers.add(customer);
            customerEvents.add(TestEvents.registered(customer, "Customer " + c, "c" + c + "@example.org"));
            customerEvents.add(TestEvents.detailsChanged(customer, 2, "Renamed " + c, "r" + c + "@example.org"));
            for (int o = 0; o < 5; o++) {
                OrderId order = TestEvents.newOrder();
                var placedAt = T0.plusSeconds(60L * (c * 5 + o));
                orderEvents.add(TestEvents.placed(order, customer, placedAt));
                if (o % 5 == 4) {
                    orderEvents.add(TestEvents.cancelled(order, customer, 2, placedAt.plusSeconds(5)));
                    continue;
                }
                if (o >= 1) {
                    orderEvents.add(TestEvents.paid(order, customer, placedAt.plusSeconds(10)));
                }
                if (o >= 2) {
                    orderEvents.add(TestEvents.shipped(order, customer, placedAt.plusSeconds(20)));
                }
                if (o >= 3) {
                    orderEvents.add(TestEvents.delivered(order, customer, placedAt.plusSeconds(30)));
                }
            }
        }
        ViewSet clean = ViewSet.scratch("clean_" + scratchId());
        ViewSet twice = ViewSet.scratch("twice_" + scratchId());

        deliver(records(customerEvents), clean);
        deliver(records(orderEvents), clean);
        for (List<ConsumerRecord<String, byte[]>> batch : shuffledBatches(withDuplicates(customerEvents),
                withDuplicates(orderEvents))) {
            deliver(batch, twice);
        }

        List<OrderView> cleanViews = orderViews(clean);
        assertThat(cleanViews).hasSize(20);
        assertThat(cleanViews).allSatisfy(view -> assertThat(view.customerName()).startsWith("Renamed"));
        assertThat(orderViews(twice)).isEqualTo(cleanViews);
        List<CustomerOrderSummary> cleanSummaries = summaries(clean, customers);
        assertThat(cleanSummaries).hasSize(4).allSatisfy(summary -> {
            assertThat(summary.orderCount()).isEqualTo(5);
            assertThat(summary.countsByStatus()).containsOnly(entry(OrderStatus.PLACED, 1L), entry(OrderStatus.PAID, 1L),
                    entry(OrderStatus.SHIPPED, 1L), entry(OrderStatus.DELIVERED, 1L), entry(OrderStatus.CANCELLED, 1L));
            assertThat(summary.lifetimeSpend()).containsExactly(new Amount("90.00", "EUR"));
            assertThat(summary.recentOrders()).hasSize(5);
        });
        assertThat(summaries(twice, customers)).isEqualTo(cleanSummaries);
    }

    private void deliver(List<ConsumerRecord<String, byte[]>> batch, ViewSet target) {
        EventProjection.Outcome outcome = projection.project(batch, target, Delivery.IN_ORDER);
        assertThat(outcome.failed()).as("%s", outcome).isFalse();
    }

    private static List<ConsumerRecord<String, byte[]>> records(List<DomainEvent> events) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (DomainEvent event : events) {
            records.add(EventPublisher.consumed(event, 0, records.size()));
        }
        return records;
    }

    /** Each event followed, sooner or later, by a second copy, never ahead of its predecessors. */
    private List<DomainEvent> withDuplicates(List<DomainEvent> events) {
        List<DomainEvent> delivered = new ArrayList<>();
        List<DomainEvent> owed = new ArrayList<>();
        for (DomainEvent event : events) {
            delivered.add(event);
            owed.add(event);
            while (!owed.isEmpty() && random.nextInt(3) == 0) {
                delivered.add(owed.remove(0));
            }
        }
        delivered.addAll(owed);
        return delivered;
    }

    /** Both topics cut into batches of random size, the batches of the two topics interleaved at random. */
    private List<List<ConsumerRecord<String, byte[]>>> shuffledBatches(List<DomainEvent> customers,
            List<DomainEvent> orders) {
        List<List<ConsumerRecord<String, byte[]>>> customerBatches = cut(records(customers));
        List<List<ConsumerRecord<String, byte[]>>> orderBatches = cut(records(orders));
        List<List<ConsumerRecord<String, byte[]>>> batches = new ArrayList<>();
        while (!customerBatches.isEmpty() || !orderBatches.isEmpty()) {
            boolean takeOrders = customerBatches.isEmpty() || (!orderBatches.isEmpty() && random.nextBoolean());
            batches.add((takeOrders ? orderBatches : customerBatches).remove(0));
        }
        return batches;
    }

    private List<List<ConsumerRecord<String, byte[]>>> cut(List<ConsumerRecord<String, byte[]>> records) {
        List<List<ConsumerRecord<String, byte[]>>> batches = new ArrayList<>();
        int from = 0;
        while (from < records.size()) {
            int to = Math.min(records.size(), from + 1 + random.nextInt(7));
            batches.add(new ArrayList<>(records.subList(from, to)));
            from = to;
        }
        return batches;
    }

    /** The views as readers see them; the write counter and where each event was read are bookkeeping. */
    private List<OrderView> orderViews(ViewSet target) {
        return mongo.findAll(OrderView.class, target.collection(OrderView.VIEW)).stream()
                .map(OrderView::asSeen)
                .sorted(Comparator.comparing(OrderView::id))
                .toList();
    }

    private List<CustomerOrderSummary> summaries(ViewSet target, List<CustomerId> customers) {
        return customers.stream()
                .map(customer -> summaries.in(target).findById(customer.toString()).orElseThrow())
                .toList();
    }

    private static String scratchId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}

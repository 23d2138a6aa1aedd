package io.ordercqrs.query.customersummary;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.ProjectionCaughtUp;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.Amount;
import io.ordercqrs.query.orderview.OrderStatus;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.ViewSet;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Changes applied late (dead letters retried) are counted into their customer's totals once, and
 * the totals keep no mark for their order afterwards: the order's view records them as counted, so
 * the totals do not grow with every order that ever had a late change.
 */
@QueryServiceTest
class LateChangeMarksTests {

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    ActiveViews active;

    @Autowired
    CustomerOrderSummaries summaries;

    @Autowired
    CustomerTotalsRecount recount;

    @Test
    void countsChangesAppliedLateOnceAndKeepsNoMarkForTheirOrder() {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        OrderId next = TestEvents.newOrder();
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publish(TestEvents.registered(customer, "Late Larry", "larry@example.org"),
                    TestEvents.placed(order, customer, T0), TestEvents.shipped(order, customer, T0.plusSeconds(20)),
                    TestEvents.delivered(order, customer, T0.plusSeconds(30)));
            kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(10)));
            // Shipped skipped a sequence and is parked; paid and delivered wait behind it.
            JsonNode letters = await().atMost(Duration.ofSeconds(30)).until(() -> api.get(TestTokens.ops(),
                    "/admin/dead-letters?aggregate=" + order).body().get("items"), items -> items.size() == 3);

            ApiClient.Response retried = api.post(TestTokens.ops(), "/admin/dead-letters/"
                    + letters.get(0).get("id").asString() + "/retry", null);
            ViewSet views = active.current();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    summary(customer, views).countsByStatus()).isEqualTo(Map.of(OrderStatus.DELIVERED, 1L)));
            Document totals = mongo.findById(customer.toString(), Document.class,
                    views.collection(CustomerOrderTotals.VIEW));
            OrderView view = mongo.findById(order.toString(), OrderView.class, views.collection(OrderView.VIEW));

            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.body().get("resolved")).hasSize(3);
            assertThat(summary(customer, views).orderCount()).isEqualTo(1);
            assertThat(summary(customer, views).lifetimeSpend()).containsExactly(new Amount("30.00", "EUR"));
            assertThat(totals.get("lateOrders", Document.class)).as("no mark left for the order").isNullOrEmpty();
            assertThat(view.timeline()).extracting(change -> change.origin().countedLate())
                    .as("placed read in order; paid, shipped and delivered applied late and counted")
                    .containsExactly(false, true, true, true);

            // The same events delivered again, the customer's next order, and counting again from
            // the views as a replay does: the late changes stay counted, once.
            kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(10)),
                    TestEvents.shipped(order, customer, T0.plusSeconds(20)),
                    TestEvents.delivered(order, customer, T0.plusSeconds(30)),
                    TestEvents.placed(next, customer, T0.plusSeconds(40)));
            ProjectionCaughtUp.await("order-query-service-g" + views.generation());
            recount.recount(List.of(customer.toString()), views);

            assertThat(summary(customer, views).orderCount()).isEqualTo(2);
            assertThat(summary(customer, views).countsByStatus())
                    .isEqualTo(Map.of(OrderStatus.DELIVERED, 1L, OrderStatus.PLACED, 1L));
            assertThat(summary(customer, views).lifetimeSpend()).containsExactly(new Amount("30.00", "EUR"));
        }
    }

    private CustomerOrderSummary summary(CustomerId customer, ViewSet views) {
        return summaries.in(views).findById(customer.toString()).orElseThrow();
    }
}

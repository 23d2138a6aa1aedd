package io.ordercqrs.query.orderview;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The query API as frontends use it: one order, lists, summaries, read-your-writes, ownership. */
@QueryServiceTest
class OrderQueryApiTests {

    @LocalServerPort
    int port;

    private ApiClient api;
    private final EventPublisher kafka = new EventPublisher();
    private final CustomerId ada = TestEvents.newCustomer();
    private final CustomerId bob = TestEvents.newCustomer();

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void answersACustomersOwnOrderWithItsVersionAsETag() {
        OrderId order = placeAndAwait(ada, 0);

        ApiClient.Response response = api.get(TestTokens.customer(ada.value()), "/orders/" + order);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text("/id")).isEqualTo(order.toString());
        assertThat(response.text("/status")).isEqualTo("PLACED");
        assertThat(response.text("/total/amount")).isEqualTo("30.00");
        assertThat(response.text("/lines/0/subtotal/amount")).isEqualTo("25.00");
        assertThat(response.header("ETag")).isEqualTo("\"1\"");
        assertThat(response.body().has("revision")).as("bookkeeping stays inside").isFalse();
    }

    @Test
    void answersAnotherCustomersOrderAsNotFoundButShowsItToOps() {
        OrderId order = placeAndAwait(ada, 0);

        assertThat(api.get(TestTokens.customer(bob.value()), "/orders/" + order).status()).isEqualTo(404);
        ApiClient.Response waited = api.get(TestTokens.customer(bob.value()), "/orders/" + order + "?minVersion=1");
        assertThat(waited.status()).as("like an order that does not exist (yet)").isEqualTo(503);
        assertThat(waited.text("/currentVersion")).isEqualTo("0");
        assertThat(api.get(TestTokens.ops(), "/orders/" + order).status()).isEqualTo(200);
        assertThat(api.get(null, "/orders/" + order).status()).isEqualTo(401);
    }

    @Test
    void waitsForTheVersionACommandAnsweredWith() {
        OrderId order = placeAndAwait(ada, 0);
        CompletableFuture<ApiClient.Response> query = CompletableFuture.supplyAsync(() ->
                api.get(TestTokens.customer(ada.value()), "/orders/" + order + "?minVersion=2"));

        kafka.publish(TestEvents.paid(order, ada, T0.plusSeconds(1)));

        ApiClient.Response response = query.join();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text("/version")).isEqualTo("2");
        assertThat(response.text("/status")).isEqualTo("PAID");
    }

    @Test
    void saysClearlyWhenTheViewHasNotReachedTheVersionInTime() {
        OrderId order = placeAndAwait(ada, 0);

        ApiClient.Response response = api.get(TestTokens.customer(ada.value()), "/orders/" + order + "?minVersion=3");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.text("/type")).endsWith("/view-not-caught-up");
        assertThat(response.text("/currentVersion")).isEqualTo("1");
        assertThat(response.text("/requestedVersion")).isEqualTo("3");
    }

    @Test
    void answersAtOnceThatAnOrderWhoseNextEventIsParkedCannotReachTheVersion() {
        OrderId order = placeAndAwait(ada, 0);
        kafka.publish(TestEvents.shipped(order, ada, T0.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(TestTokens.ops(), "/admin/dead-letters?aggregate="
                + order).body().get("items").size() == 1);

        ApiClient.Response held = api.get(TestTokens.customer(ada.value()), "/orders/" + order + "?minVersion=3");

        assertThat(held.status()).isEqualTo(409);
        assertThat(held.header("Retry-After")).as("asking again will not help").isNull();
        assertThat(held.text("/type")).endsWith("/view-held-behind-dead-letter");
        assertThat(held.text("/currentVersion")).isEqualTo("1");
        assertThat(held.text("/deadLetter")).isEqualTo(api.get(TestTokens.ops(), "/admin/dead-letters?aggregate="
                + order).text("/items/0/id"));
        assertThat(api.get(TestTokens.customer(bob.value()), "/orders/" + order + "?minVersion=3").status())
                .as("another customer learns nothing of it").isEqualTo(503);
    }

    @Test
    void listsOnlyTheCallersOwnOrdersNewestFirstInBoundedPages() {
        OrderId first = placeAndAwait(ada, 0);
        OrderId second = placeAndAwait(ada, 1);
        OrderId third = placeAndAwait(ada, 2);
        placeAndAwait(bob, 3);
        String adaToken = TestTokens.customer(ada.value());

        ApiClient.Response page0 = api.get(adaToken, "/orders?size=2");
        ApiClient.Response page1 = api.get(adaToken, "/orders?size=2&page=1");
        ApiClient.Response bobsAsked = api.get(adaToken, "/orders?customerId=" + bob);

        assertThat(page0.status()).isEqualTo(200);
        assertThat(page0.text("/totalItems")).isEqualTo("3");
        assertThat(page0.text("/totalPages")).isEqualTo("2");
        assertThat(page0.text("/items/0/id")).isEqualTo(third.toString());
        assertThat(page0.text("/items/1/id")).isEqualTo(second.toString());
        assertThat(page1.text("/items/0/id")).isEqualTo(first.toString());
        assertThat(bobsAsked.body().get("items")).as("filtered by owner, not just checked").isEmpty();
        assertThat(api.get(TestTokens.ops(), "/orders?customerId=" + bob).text("/totalItems")).isEqualTo("1");
    }

    @Test
    void filtersByStatusAndPlacementTime() {
        OrderId early = placeAndAwait(ada, 0);
        OrderId paid = placeAndAwait(ada, 1);
        kafka.publish(TestEvents.paid(paid, ada, T0.plusSeconds(3600)));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "PAID".equals(api.get(TestTokens.ops(), "/orders/" + paid).text("/status")));
        String token = TestTokens.customer(ada.value());

        ApiClient.Response byStatus = api.get(token, "/orders?status=PAID");
        ApiClient.Response byTime = api.get(token, "/orders?placedTo=" + T0.plusSeconds(30));

        assertThat(byStatus.text("/totalItems")).isEqualTo("1");
        assertThat(byStatus.text("/items/0/id")).isEqualTo(paid.toString());
        assertThat(byTime.text("/totalItems")).isEqualTo("1");
        assertThat(byTime.text("/items/0/id")).isEqualTo(early.toString());
    }

    @Test
    void refusesPagesOverTheMaximumAndUnknownFilterValuesNamingTheField() {
        String token = TestTokens.customer(ada.value());

        ApiClient.Response tooBig = api.get(token, "/orders?size=101");
        ApiClient.Response badStatus = api.get(token, "/orders?status=LOST");
        ApiClient.Response badTime = api.get(token, "/orders?placedFrom=yesterday");
        ApiClient.Response badVersion = api.get(token, "/orders/" + TestEvents.newOrder() + "?minVersion=0");
        ApiClient.Response absurdVersion = api.get(token, "/orders/" + TestEvents.newOrder() + "?minVersion=1000001");
        ApiClient.Response deepPage = api.get(TestTokens.ops(), "/orders?page=2147483647");
        ApiClient.Response overflowingPage = api.get(TestTokens.ops(), "/orders?page=99999999999");

        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.text("/errors/0/field")).isEqualTo("size");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.text("/errors/0/field")).isEqualTo("status");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.text("/errors/0/field")).isEqualTo("placedFrom");
        assertThat(badVersion.status()).isEqualTo(400);
        assertThat(badVersion.text("/errors/0/field")).isEqualTo("minVersion");
        assertThat(absurdVersion.status()).isEqualTo(400);
        assertThat(absurdVersion.text("/errors/0/field")).isEqualTo("minVersion");
        assertThat(deepPage.status()).isEqualTo(400);
        assertThat(deepPage.text("/errors/0/field")).isEqualTo("page");
        assertThat(overflowingPage.status()).isEqualTo(400);
        assertThat(overflowingPage.text("/errors/0/field")).isEqualTo("page");
    }

    @Test
    void answersTheSummaryToItsCustomerAndOpsOnly() {
        kafka.publish(TestEvents.registered(ada, "Ada", "ada@example.org"));
        placeAndAwait(ada, 0);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "1".equals(api.get(TestTokens.ops(), "/customers/" + ada + "/order-summary").text("/orderCount")));

        ApiClient.Response own = api.get(TestTokens.customer(ada.value()), "/customers/" + ada + "/order-summary");

        assertThat(own.status()).isEqualTo(200);
        assertThat(own.text("/name")).isEqualTo("Ada");
        assertThat(own.text("/countsByStatus/PLACED")).isEqualTo("1");
        assertThat(api.get(TestTokens.customer(bob.value()), "/customers/" + ada + "/order-summary").status())
                .isEqualTo(404);
    }

    private OrderId placeAndAwait(CustomerId customer, int minutes) {
        OrderId order = TestEvents.newOrder();
        kafka.publish(TestEvents.placed(order, customer, T0.plusSeconds(60L * minutes)));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                api.get(TestTokens.ops(), "/orders/" + order).status() == 200);
        return order;
    }
}

package io.ordercqrs.query.orderview;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.test.context.TestPropertySource;

/**
 * Queries that wait for a version hold no server thread: on a server with 8 threads, 24 of them
 * wait while other queries are answered, and all are answered once the version arrives. A wait
 * this instance answers from the batch it just wrote gives the view exactly as a read serves it.
 */
@QueryServiceTest
@TestPropertySource(properties = {"server.tomcat.threads.max=8", "ordercqrs.query.max-wait=60s"})
class ReadYourWritesTests {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    ActiveViews active;

    @Test
    void waitsWithoutHoldingAThreadSoOtherQueriesAnswerMeanwhile() {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        String token = TestTokens.customer(customer.value());
        ExecutorService clients = Executors.newFixedThreadPool(24);
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publish(TestEvents.placed(order, customer, T0));
            await().atMost(Duration.ofSeconds(20)).until(() -> api.get(token, "/orders/" + order).status() == 200);
            double before = meters.get("ordercqrs.query.waiting").gauge().value();
            List<CompletableFuture<ApiClient.Response>> waiting = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                waiting.add(CompletableFuture.supplyAsync(() -> api.get(token, "/orders/" + order + "?minVersion=2"),
                        clients));
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> meters.get("ordercqrs.query.waiting").gauge().value() >= before + 24);

            ApiClient.Response meanwhile = api.get(token, "/orders/" + order);
            boolean stillWaiting = waiting.stream().noneMatch(CompletableFuture::isDone);
            kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(1)));

            assertThat(meanwhile.status()).isEqualTo(200);
            assertThat(stillWaiting).as("24 queries (three times the server's threads) waited meanwhile").isTrue();
            assertThat(waiting.stream().map(CompletableFuture::join))
                    .allSatisfy(response -> {
                        assertThat(response.status()).isEqualTo(200);
                        assertThat(response.text("/version")).isEqualTo("2");
                    });
        }
        finally {
            clients.shutdownNow();
        }
    }

    @Test
    void answersAWaitWithTheViewAsStoredCustomerDetailsIncluded() {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        String token = TestTokens.customer(customer.value());
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publish(TestEvents.registered(customer, "Grace Hopper", "grace@example.org"));
            kafka.publish(TestEvents.placed(order, customer, T0));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "Grace Hopper".equals(api.get(token, "/orders/" + order).text("/customerName")));
            double before = meters.get("ordercqrs.query.waiting").gauge().value();
            CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(
                    () -> api.get(token, "/orders/" + order + "?minVersion=2"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> meters.get("ordercqrs.query.waiting").gauge().value() >= before + 1);

            kafka.publish(TestEvents.paid(order, customer, T0.plusSeconds(1)));
            ApiClient.Response answered = waiting.join();
            ApiClient.Response read = api.get(token, "/orders/" + order);

            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.text("/version")).isEqualTo("2");
            assertThat(answered.text("/status")).isEqualTo("PAID");
            assertThat(answered.body()).as("the answer to the wait is the view as stored").isEqualTo(read.body());
            assertThat(answered.header("ETag")).isEqualTo(read.header("ETag"));
        }
    }

    @Test
    void answersAWaitWithAViewAnotherInstanceWroteLongAfterTheWaitBegan() throws Exception {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        OrderId order = TestEvents.newOrder();
        String token = TestTokens.customer(customer.value());
        try (EventPublisher kafka = new EventPublisher()) {
            kafka.publish(TestEvents.placed(order, customer, T0));
            await().atMost(Duration.ofSeconds(20)).until(() -> api.get(token, "/orders/" + order).status() == 200);
            double before = meters.get("ordercqrs.query.waiting").gauge().value();
            CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(
                    () -> api.get(token, "/orders/" + order + "?minVersion=2"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> meters.get("ordercqrs.query.waiting").gauge().value() >= before + 1);
            // Unanswered for a second, long enough for the wait's reads to have spaced out to their longest interval.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());

            // The instance projecting the order's partition is another one: only the store tells this one.
            mongo.updateFirst(Query.query(Criteria.where("_id").is(order.toString())),
                    new Update().set("version", 2L).set("status", OrderStatus.PAID).inc("revision", 1),
                    active.current().collection(OrderView.VIEW));
            ApiClient.Response answered = waiting.get(10, TimeUnit.SECONDS);

            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.text("/version")).isEqualTo("2");
            assertThat(answered.text("/status")).isEqualTo("PAID");
        }
    }
}

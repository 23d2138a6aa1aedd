package io.ordercqrs.query.generation;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.Topics;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A rebuild that skipped records does not switch in by itself: it waits, caught up, with what it
 * skipped listed, until ops ask for the switch. A record ops discarded before is not skipped again.
 */
@QueryServiceTest
class SkippedRecordsTests {

    @LocalServerPort
    int port;

    @Autowired
    ActiveViews active;

    @Autowired
    MeterRegistry meters;

    @Test
    void waitsForOpsWhenItSkippedRecordsAndSwitchesWhenAsked() {
        ApiClient api = new ApiClient(port);
        CustomerId customer = TestEvents.newCustomer();
        OrderId poisoned = TestEvents.newOrder();
        OrderId healthy = TestEvents.newOrder();
        try (EventPublisher kafka = new EventPublisher()) {
            ProducerRecord<String, byte[]> placed = EventPublisher.record(TestEvents.placed(poisoned, customer, T0));
            kafka.publishRaw(new ProducerRecord<>(placed.topic(), null, placed.key(),
                    "not json".getBytes(StandardCharsets.UTF_8), placed.headers()));
            kafka.publish(TestEvents.placed(healthy, customer, T0));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(TestTokens.ops(), "/orders/" + healthy).status() == 200);
        long before = active.current().generation();

        ApiClient.Response started = api.post(TestTokens.ops(), "/admin/rebuilds/all", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> "READY".equals(current(api).text("/state")));
        ApiClient.Response ready = current(api);
        String letter = ready.text("/skippedRecords/0/letterId");

        assertThat(started.status()).isEqualTo(202);
        assertThat(ready.text("/skipped")).isEqualTo("1");
        assertThat(ready.text("/skippedRecords/0/aggregate")).isEqualTo(poisoned.toString());
        assertThat(ready.text("/eventsToGo")).isEqualTo("0");
        assertThat(active.current().generation()).as("it did not switch in").isEqualTo(before);
        String group = "order-query-service-g" + started.text("/generation");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(gauge("ordercqrs.rebuild.running")).isEqualTo(1);
            assertThat(gauge("ordercqrs.rebuild.events.target")).isEqualTo(Double.parseDouble(ready.text("/eventsTotal")))
                    .isPositive();
            assertThat(gauge("ordercqrs.rebuild.events.done")).isEqualTo(gauge("ordercqrs.rebuild.events.target"));
            assertThat(meters.find("ordercqrs.consumer.lag").tag("group", group).gauges())
                    .as("the lag of the rebuild's group, for every partition of both topics")
                    .hasSize(partitions()).allSatisfy(lag -> assertThat(lag.value()).isZero())
                    .extracting(lag -> lag.getId().getTag("topic")).containsOnly(Topics.ALL.toArray(String[]::new))
                    .contains(Topics.ALL.toArray(String[]::new));
        });

        ApiClient.Response asked = api.post(TestTokens.ops(), "/admin/rebuilds/current/switch", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "ACTIVE".equals(current(api).text("/state")));

        assertThat(asked.status()).isEqualTo(202);
        assertThat(asked.text("/switchRequested")).isEqualTo("true");
        assertThat(active.current().generation()).isEqualTo(Long.parseLong(started.text("/generation")));
        assertThat(api.get(TestTokens.ops(), "/orders/" + healthy).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gauge("ordercqrs.rebuild.running")).isZero();
            assertThat(gauge("ordercqrs.rebuild.events.target")).isZero();
        });
        assertThat(api.get(TestTokens.ops(), "/admin/dead-letters?aggregate=" + poisoned + "&generation="
                + started.text("/generation")).text("/items/0/id"))
                .as("what it skipped is a dead letter of the now active generation").isEqualTo(letter);

        ApiClient.Response discarded = api.post(TestTokens.ops(), "/admin/dead-letters/" + letter + "/discard",
                Map.of("reason", "not an event"));
        ApiClient.Response again = api.post(TestTokens.ops(), "/admin/rebuilds/all", null);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !Set.of("BUILDING", "READY", "SWITCHING").contains(current(api).text("/state")));

        assertThat(discarded.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(202);
        assertThat(current(api).text("/state")).as("a record discarded before is not skipped again")
                .isEqualTo("ACTIVE");
        assertThat(current(api).text("/skipped")).isEqualTo("0");
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private int partitions() {
        String activeGroup = "order-query-service-g" + active.current().generation();
        return meters.find("ordercqrs.consumer.lag").tag("group", activeGroup)
                .gauges().size();
    }

    private static ApiClient.Response current(ApiClient api) {
        return api.get(TestTokens.ops(), "/admin/rebuilds/current");
    }
}

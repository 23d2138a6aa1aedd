package io.ordercqrs.command.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.events.Topics;
import io.ordercqrs.testsupport.ApiClient.Response;
import io.ordercqrs.testsupport.RealServers;
import io.ordercqrs.testsupport.TestTokens;
import io.ordercqrs.testsupport.TopicReader;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The relay inside the running service, its topics, and what ops see and do through the API. */
@CommandServiceTest
class OutboxOperationsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    CommandApi api;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
    }

    @Test
    void createsItsTopicsWithTheConfiguredPartitionsAndRetention() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealServers.get().kafkaBootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(topics).containsOnlyKeys(Topics.ALL);
            assertThat(topics.get(Topics.ORDER_EVENTS).partitions()).hasSize(6);
            var config = admin.describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    Topics.ORDER_EVENTS))).all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get("retention.ms").value()).as("events are kept forever").isEqualTo("-1");
        }
    }

    @Test
    void publishesACommandsEventToKafkaAndStampsItsRow() throws Exception {
        try (TopicReader topic = new TopicReader(RealServers.get().kafkaBootstrapServers(), Topics.ORDER_EVENTS)) {
            CommandApi.Customer customer = api.registerCustomer();
            UUID orderId = api.placedOrder(customer);

            var records = topic.readUntil(seen -> !RelayTestBed.sequencesOf(orderId, seen).isEmpty(),
                    Duration.ofSeconds(30));

            assertThat(RelayTestBed.sequencesOf(orderId, records)).containsExactly(1L);
            assertThat(awaitPublished(orderId)).isTrue();
        }
    }

    @Test
    void letsOpsReadAnAggregatesRetainedEventsAndPublishThemAgain() throws Exception {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);
        api.pay(customer.token(), orderId);
        assertThat(awaitPublished(orderId)).isTrue();

        Response history = api.http.get(TestTokens.ops(), "/admin/outbox/aggregates/" + orderId + "/events");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().findValuesAsString("eventType")).containsExactly("order.placed", "order.paid");
        assertThat(history.text("/1/payload/amount/amount")).isEqualTo("27.97");

        try (TopicReader topic = new TopicReader(RealServers.get().kafkaBootstrapServers(), Topics.ORDER_EVENTS)) {
            Response republished = api.http.post(TestTokens.ops(), "/admin/outbox/aggregates/" + orderId + "/republish",
                    null);
            assertThat(republished.status()).isEqualTo(202);
            assertThat(republished.body().get("requeued").asInt()).isEqualTo(2);

            var records = topic.readUntil(seen -> RelayTestBed.sequencesOf(orderId, seen).size() >= 2,
                    Duration.ofSeconds(30));
            assertThat(RelayTestBed.sequencesOf(orderId, records)).containsExactly(1L, 2L);
        }
    }

    @Test
    void pagesThroughTheRetainedHistoryInOrderPerAggregateLeavingFailedRowsOut() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID paid = api.placedOrder(customer);
        api.pay(customer.token(), paid);
        UUID failing = api.placedOrder(customer);
        assertThat(awaitPublished(failing)).isTrue();
        failedAsTheRelayLeavesIt(failing);

        // About five pages, however many rows the other tests left.
        long limit = Math.max(2, jdbc.queryForObject("select count(*) from outbox", Long.class) / 5);
        List<JsonNode> events = new ArrayList<>();
        int pages = history(limit, events);
        Response wrongCursor = api.http.get(TestTokens.ops(), "/admin/outbox/events?after=12;drop");

        assertThat(pages).as("paged").isGreaterThan(1);
        assertThat(events.stream().map(event -> event.get("eventId").asString()).distinct().count())
                .as("no event twice").isEqualTo(events.size());
        Map<String, List<Long>> sequences = new HashMap<>();
        events.forEach(event -> sequences.computeIfAbsent(event.get("aggregateId").asString(), id -> new ArrayList<>())
                .add(event.get("sequence").asLong()));
        sequences.values().forEach(each -> assertThat(each).as("in sequence order").isSorted());
        assertThat(sequences.get(paid.toString())).containsExactly(1L, 2L);
        assertThat(sequences.get(customer.id().toString())).containsExactly(1L);
        assertThat(sequences).as("a failed row never reached Kafka").doesNotContainKey(failing.toString());
        assertThat(wrongCursor.status()).isEqualTo(400);
        assertThat(wrongCursor.text("/errors/0/field")).isEqualTo("after");
    }

    @Test
    void holdsEveryCommittedEventInTheHistoryWhileAnOlderTransactionIsStillRunning() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        CommandApi.Customer customer;
        // A transaction that took its id before the customer's and is still running when the history is
        // read: the change-data-capture relay publishes the customer's event meanwhile (it follows
        // commits), so a history leaving it out would lose it for a rebuild from that history.
        try (Connection older = dataSource.getConnection()) {
            older.setAutoCommit(false);
            try (Statement statement = older.createStatement()) {
                statement.execute("select pg_current_xact_id()");
            }
            customer = api.registerCustomer();
            history(1000, events);
            older.rollback();
        }

        assertThat(events).as("the customer's event, committed after the running transaction began")
                .anyMatch(event -> event.get("aggregateId").asString().equals(customer.id().toString()));
    }

    @Test
    void letsOpsListAndRetryFailedRows() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);
        assertThat(awaitPublished(orderId)).isTrue();
        long rowId = failedAsTheRelayLeavesIt(orderId);

        Response failed = api.http.get(TestTokens.ops(), "/admin/outbox/failed?limit=1000");
        Response retried = api.http.post(TestTokens.ops(), "/admin/outbox/failed/" + rowId + "/retry", null);
        Response again = api.http.post(TestTokens.ops(), "/admin/outbox/failed/" + rowId + "/retry", null);

        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.body().findValuesAsString("aggregateId")).contains(orderId.toString());
        assertThat(retried.status()).isEqualTo(200);
        assertThat(again.status()).as("not failed any more").isEqualTo(404);
        assertThat(awaitPublished(orderId)).as("the relay publishes the retried row").isTrue();
    }

    @Test
    void letsOpsDiscardAFailedRowWithAReasonAndShowsWhatItHeldBack() {
        CommandApi.Customer customer = api.registerCustomer();
        UUID orderId = api.placedOrder(customer);
        assertThat(awaitPublished(orderId)).isTrue();
        long rowId = failedAsTheRelayLeavesIt(orderId);

        // Health reads the outbox at most every two seconds.
        Response health = await().atMost(Duration.ofSeconds(10)).until(
                () -> api.http.get(TestTokens.ops(), "/actuator/health/outbox"),
                answer -> !answer.body().at("/details/failedRows").isMissingNode());
        Response withoutReason = api.http.post(TestTokens.ops(), "/admin/outbox/failed/" + rowId + "/discard",
                Map.of("reason", " "));
        Response discarded = api.http.post(TestTokens.ops(), "/admin/outbox/failed/" + rowId + "/discard",
                Map.of("reason", "duplicate of a corrected event"));
        Response again = api.http.post(TestTokens.ops(), "/admin/outbox/failed/" + rowId + "/discard",
                Map.of("reason", "duplicate of a corrected event"));

        assertThat(health.body().findValuesAsString("lastError")).contains("RecordTooLargeException: x");
        assertThat(health.body().at("/details/failedRows").findValuesAsString("aggregateId"))
                .contains(orderId.toString());
        assertThat(withoutReason.status()).isEqualTo(400);
        assertThat(withoutReason.text("/errors/0/field")).isEqualTo("reason");
        assertThat(discarded.status()).isEqualTo(200);
        assertThat(discarded.text("/state")).isEqualTo("DISCARDED");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.text("/type")).endsWith("outbox-row-not-failed");
        assertThat(jdbc.queryForObject("select discarded_by from outbox_discarded where id = ?", String.class, rowId))
                .isNotBlank();
    }

    @Test
    void namesTheTransactionHoldingTheBacklogBackToOps() throws Exception {
        Response state;
        Response health;
        int pid;
        try (Connection older = dataSource.getConnection()) {
            pid = RelayTestBed.backendPid(older);
            older.setAutoCommit(false);
            try (Statement statement = older.createStatement()) {
                statement.execute("select pg_current_xact_id()");
            }
            // The customer's event commits after the older transaction took its id: the relay waits for it.
            api.registerCustomer();
            Response[] seen = new Response[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                seen[0] = api.http.get(TestTokens.ops(), "/admin/outbox");
                return seen[0].body().has("oldestTransaction");
            });
            state = seen[0];
            health = api.http.get(TestTokens.ops(), "/actuator/health/outbox");
            older.rollback();
        }

        assertThat(state.status()).isEqualTo(200);
        assertThat(state.body().get("backlog").asLong()).isPositive();
        assertThat(state.body().at("/oldestTransaction/pid").asInt()).isEqualTo(pid);
        assertThat(state.text("/oldestTransaction/state")).isEqualTo("idle in transaction");
        assertThat(state.body().at("/oldestTransaction/startedAt").isString()).isTrue();
        assertThat(health.body().at("/details/oldestTransaction/pid").asInt()).isEqualTo(pid);
        assertThat(health.text("/details/oldestTransaction/state")).isEqualTo("idle in transaction");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !api.http.get(TestTokens.ops(), "/admin/outbox").body().has("oldestTransaction"));
    }

    @Test
    void showsTheBacklogInHealthAndMetricsToOpsOnly() {
        Response health = api.http.get(TestTokens.ops(), "/actuator/health/outbox");
        Response metric = api.http.get(TestTokens.ops(), "/actuator/metrics/ordercqrs.outbox.backlog");
        Response anonymous = api.http.get(null, "/actuator/health");
        Response customerMetrics = api.http.get(TestTokens.customer(UUID.randomUUID()), "/actuator/metrics");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("/status")).isEqualTo("UP");
        assertThat(health.body().at("/details/backlog").isNumber()).isTrue();
        assertThat(health.body().at("/details/relay/running").asBoolean()).isTrue();
        assertThat(metric.status()).isEqualTo(200);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body().get("details")).as("no details without credentials").isNull();
        assertThat(customerMetrics.status()).isEqualTo(403);
    }

    @Test
    void refusesOutboxAdministrationToCustomers() {
        UUID someone = UUID.randomUUID();
        String customer = TestTokens.customer(someone);

        assertThat(api.http.get(customer, "/admin/outbox/failed").status()).isEqualTo(403);
        assertThat(api.http.post(customer, "/admin/outbox/aggregates/" + someone + "/republish", null).status())
                .isEqualTo(403);
        assertThat(api.http.get(null, "/admin/outbox").status()).isEqualTo(401);
    }

    /** Marks the aggregate's only row as Kafka refused it for good, as the relay leaves it; answers its id. */
    private long failedAsTheRelayLeavesIt(UUID aggregateId) {
        jdbc.update("insert into outbox_held (id, slot, aggregate_id, failed_at, last_error) select id, slot, "
                + "aggregate_id, now(), 'RecordTooLargeException: x' from outbox where aggregate_id = ?", aggregateId);
        return jdbc.queryForObject("select id from outbox where aggregate_id = ?", Long.class, aggregateId);
    }

    private boolean awaitPublished(UUID aggregateId) {
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<String> states = api.http.get(TestTokens.ops(), "/admin/outbox/aggregates/" + aggregateId
                        + "/events").body().findValuesAsString("state");
                return !states.isEmpty() && states.stream().allMatch("PUBLISHED"::equals);
            });
            return true;
        }
        catch (ConditionTimeoutException notPublished) {
            return false;
        }
    }

    /** Reads every page of the retained history into {@code events}; answers how many pages there were. */
    private int history(long limit, List<JsonNode> events) {
        String after = null;
        int pages = 0;
        boolean complete = false;
        while (!complete) {
            Response page = api.http.get(TestTokens.ops(), "/admin/outbox/events?limit=" + limit
                    + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).isEqualTo(200);
            page.body().get("events").forEach(events::add);
            after = page.text("/next");
            complete = page.body().get("complete").asBoolean();
            pages++;
        }
        return pages;
    }
}

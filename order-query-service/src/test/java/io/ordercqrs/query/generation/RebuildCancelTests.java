package io.ordercqrs.query.generation;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.orderview.OrderView;
import io.ordercqrs.query.projection.ViewSet;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Cancelling a rebuild at any moment of its life: the answer and what happens agree, every time.
 * A cancel answered 200 leaves the rebuild cancelled, the active views as they were and the
 * generation's collections removed; a cancel that comes after the switch is refused with 409 and
 * the rebuild stays active. Run with {@code -Dordercqrs.test.repetitions=20} to repeat each moment.
 */
@QueryServiceTest
class RebuildCancelTests {

    private static final Set<String> UNDER_WAY = Set.of("BUILDING", "READY", "SWITCHING");

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    ActiveViews active;

    private ApiClient api;

    /** When, in a rebuild's life, the cancel comes. */
    enum Moment { RIGHT_AFTER_START, MIDWAY, AT_THE_SWITCH }

    static Stream<Arguments> moments() {
        int repetitions = Integer.getInteger("ordercqrs.test.repetitions", 1);
        List<Arguments> moments = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) {
            for (Moment moment : Moment.values()) {
                moments.add(Arguments.of(moment, i));
            }
        }
        return moments.stream();
    }

    @BeforeEach
    void enoughEventsForARebuildToTakeAWhile() {
        api = new ApiClient(port);
        try (EventPublisher kafka = new EventPublisher()) {
            CustomerId customer = TestEvents.newCustomer();
            kafka.publishAll(IntStream.range(0, 300)
                    .mapToObj(i -> TestEvents.placed(TestEvents.newOrder(), customer, T0.plusSeconds(i))).toList());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !UNDER_WAY.contains(state()));
    }

    @ParameterizedTest(name = "cancel {0} (run {1})")
    @MethodSource("moments")
    void answersACancelAsWhatHappens(Moment moment, int run) {
        ViewSet before = active.current();
        List<OrderView> viewsBefore = CleanProjection.orderViews(mongo, before);

        ApiClient.Response started = api.post(TestTokens.ops(), "/admin/rebuilds/all", null);
        long generation = Long.parseLong(started.text("/generation"));
        switch (moment) {
            case RIGHT_AFTER_START -> { }
            case MIDWAY -> await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() ->
                    Long.parseLong(api.get(TestTokens.ops(), "/admin/rebuilds/current").text("/eventsDone")) > 0
                            || !UNDER_WAY.contains(state()));
            case AT_THE_SWITCH -> await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
                ApiClient.Response current = api.get(TestTokens.ops(), "/admin/rebuilds/current");
                return "0".equals(current.text("/eventsToGo")) && !"0".equals(current.text("/eventsDone"))
                        || !UNDER_WAY.contains(current.text("/state"));
            });
            default -> throw new IllegalStateException();
        }
        ApiClient.Response cancelled = api.delete(TestTokens.ops(), "/admin/rebuilds/current");
        await().atMost(Duration.ofSeconds(60)).until(() -> !UNDER_WAY.contains(state()));
        String outcome = state();

        assertThat(started.status()).isEqualTo(202);
        assertThat(cancelled.status()).as("%s", cancelled).isIn(200, 409);
        if (cancelled.status() == 200) {
            assertThat(cancelled.text("/state")).isEqualTo("CANCELLED");
            assertThat(outcome).as("a cancel answered 200 stays cancelled").isEqualTo("CANCELLED");
            assertThat(active.current()).isEqualTo(before);
            assertThat(CleanProjection.orderViews(mongo, before)).as("the active views stay as they were")
                    .containsAll(viewsBefore);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mongo.getCollectionNames())
                    .as("the cancelled generation's collections are removed")
                    .noneMatch(name -> name.endsWith("_g" + generation)));
            assertThat(api.delete(TestTokens.ops(), "/admin/rebuilds/current").status())
                    .as("nothing left to cancel").isEqualTo(404);
        }
        else {
            assertThat(cancelled.text("/type")).endsWith("/rebuild-already-switched");
            assertThat(outcome).as("a cancel refused because of the switch: the rebuild is active").isEqualTo("ACTIVE");
            await().atMost(Duration.ofSeconds(5)).until(() -> active.current().generation() == generation);
        }
    }

    private String state() {
        ApiClient.Response current = api.get(TestTokens.ops(), "/admin/rebuilds/current");
        return current.status() == 404 ? "NONE" : current.text("/state");
    }
}

package io.ordercqrs.command.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.EventCodec;
import io.ordercqrs.events.wire.EventEnvelope;
import io.ordercqrs.events.wire.EventMetadata;
import io.ordercqrs.testsupport.TopicReader;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.health.contributor.Health;

/**
 * Guarantees 2 and 3 against real PostgreSQL and Kafka: every committed event reaches Kafka at
 * least once, in sequence order per aggregate, with several relays, a relay that dies, and a
 * Kafka that goes away. Every test runs in both relay modes: polling the table and change data
 * capture from the write-ahead log.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RelaySettings.Mode.class)
class OutboxRelayIntegrationTests {

    final RelaySettings.Mode mode;
    RelayTestBed bed;
    TopicReader topic;

    OutboxRelayIntegrationTests(RelaySettings.Mode mode) {
        this.mode = mode;
    }

    @BeforeEach
    void setUp() {
        bed = new RelayTestBed(mode);
        topic = new TopicReader(bed.servers.kafkaBootstrapServers(), Topics.ORDER_EVENTS);
    }

    @AfterEach
    void tearDown() {
        topic.close();
        bed.close();
    }

    @Test
    void publishesEveryCommittedEventInOrderAndThenMovesItsSlotsPosition() throws Exception {
        UUID first = bed.commitOrderEvents(5);
        UUID second = bed.commitOrderEvents(3);

        bed.startRelay(RelayTestBed.settings());

        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> RelayTestBed.sequencesOf(first, seen).size() >= 5
                        && RelayTestBed.sequencesOf(second, seen).size() >= 3, Duration.ofSeconds(30));
        assertThat(RelayTestBed.sequencesOf(first, records)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(RelayTestBed.sequencesOf(second, records)).containsExactly(1L, 2L, 3L);
        ConsumerRecord<String, byte[]> placed = records.stream().filter(r -> r.key().equals(first.toString()))
                .findFirst().orElseThrow();
        assertThat(new String(placed.headers().lastHeader("ce_type").value())).isEqualTo("order.placed");
        assertThat(new String(placed.headers().lastHeader("ce_source").value())).isEqualTo("/relay-test");
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
    }

    @Test
    void wakesUpWhenAnOutboxTransactionCommitsInsteadOfWaitingForThePollInterval() throws Exception {
        // Neither polling nor rebalancing would look at the outbox again within the test.
        bed.startRelay(RelayTestBed.settings(Duration.ofMinutes(5), Duration.ofMinutes(5), 1_000_000));
        Thread.sleep(1500);

        UUID order = bed.commitOrderEvents(1);

        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> !RelayTestBed.sequencesOf(order, seen).isEmpty(), Duration.ofSeconds(20));
        assertThat(RelayTestBed.sequencesOf(order, records))
                .as("published long before the five-minute poll interval").containsExactly(1L);
    }

    @Test
    void neverPassesOverATransactionThatCommitsAfterLaterOnes() throws Exception {
        Relay relay = bed.startRelay(RelayTestBed.settings());
        // Running: in cdc mode the replication slot is created (creating one waits for running transactions).
        UUID probe = bed.commitOrderEvents(1);
        topic.readUntil(seen -> !RelayTestBed.sequencesOf(probe, seen).isEmpty(), Duration.ofSeconds(60));
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
        UUID late = UUID.randomUUID();
        UUID early = UUID.randomUUID();
        EventEnvelope lateEvent = new EventCodec().encode(RelayTestBed.event(late, 1), EventMetadata.from("/relay-test"));
        try (Connection slow = bed.dataSource.getConnection()) {
            int slowPid = RelayTestBed.backendPid(slow);
            slow.setAutoCommit(false);
            // The slow transaction takes the lower transaction id and outbox id first and commits last.
            try (PreparedStatement insert = slow.prepareStatement("""
                    insert into outbox (event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version,
                                        payload, occurred_at)
                    values (?, 'order', ?, 1, 'order.placed', 2, cast(? as jsonb), now())
                    """)) {
                insert.setObject(1, lateEvent.id());
                insert.setObject(2, late);
                insert.setString(3, lateEvent.dataAsString());
                insert.executeUpdate();
            }
            bed.commit(RelayTestBed.event(early, 1));

            List<ConsumerRecord<String, byte[]>> meanwhile = topic.readUntil(
                    seen -> !RelayTestBed.sequencesOf(early, seen).isEmpty(), Duration.ofSeconds(2));
            if (mode == RelaySettings.Mode.POLLING) {
                // The relay reads only rows of transactions older than every one still running, so the
                // committed row waits for the slow transaction rather than moving its slot's position past it.
                assertThat(RelayTestBed.sequencesOf(early, meanwhile)).as("held back by the running transaction")
                        .isEmpty();
            }
            else {
                // The log holds only what committed, in commit order: the early row goes at once.
                assertThat(RelayTestBed.sequencesOf(early, meanwhile)).as("in commit order").containsExactly(1L);
            }
            long earlyRow = bed.jdbc.queryForObject("select id from outbox where aggregate_id = ?", Long.class, early);
            if (mode == RelaySettings.Mode.POLLING) {
                // Ops see the early row waiting, as it does, and health goes DOWN once it waited too long.
                assertThat(bed.unpublished()).isEqualTo(1);
                assertThat(bed.entries.find(earlyRow).orElseThrow().state()).isEqualTo("PENDING");
                Health health = outboxHealth(relay, Duration.ofMillis(1));
                assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
                assertThat(health.getDetails().get("oldestTransaction")).as("what holds the backlog back")
                        .asInstanceOf(InstanceOfAssertFactories.type(OutboxEntries.RunningTransaction.class))
                        .satisfies(running -> {
                            assertThat(running.pid()).isEqualTo(slowPid);
                            assertThat(running.state()).isEqualTo("idle in transaction");
                        });
            }
            else {
                // The slots' positions stop behind the running transaction, but the next mark back out of
                // the log saw the early row's transaction ended: ops see it published, nothing waits, and
                // health stays UP however long the other transaction runs.
                assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
                assertThat(bed.entries.find(earlyRow).orElseThrow().state()).isEqualTo("PUBLISHED");
                Health health = outboxHealth(relay, Duration.ofMillis(1));
                assertThat(health.getStatus().getCode()).isEqualTo("UP");
                assertThat(health.getDetails()).doesNotContainKey("oldestTransaction");
                assertThat(bed.entries.awaitPassed(early, Duration.ZERO)).as("the positions wait").isFalse();
            }
            slow.commit();
        }

        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> !RelayTestBed.sequencesOf(late, seen).isEmpty()
                        && !RelayTestBed.sequencesOf(early, seen).isEmpty(), Duration.ofSeconds(20));
        assertThat(RelayTestBed.sequencesOf(late, records)).as("the late committer is not skipped").containsExactly(1L);
        assertThat(RelayTestBed.sequencesOf(early, records)).containsExactly(1L);
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
        assertThat(bed.jdbc.queryForObject("select (select id from outbox where aggregate_id = ?) "
                + "< (select id from outbox where aggregate_id = ?)", Boolean.class, late, early))
                .as("the late event has the lower id").isTrue();
    }

    @Test
    void setsAsideARecordTheTopicRefusesAndNeverLetsALaterRowOfItsAggregatePass() throws Exception {
        UUID refused = UUID.randomUUID();
        bed.commit(RelayTestBed.event(refused, 1, "x".repeat(6000)));
        bed.commit(RelayTestBed.event(refused, 2));
        UUID healthy = bed.commitOrderEvents(2);
        bed.limitTopicRecordSize(4000);
        try {
            bed.startRelay(RelayTestBed.settings());

            List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                    seen -> RelayTestBed.sequencesOf(healthy, seen).size() >= 2, Duration.ofSeconds(30));
            List<OutboxEntries.Row> failed = awaitFailed(1);
            bed.commit(RelayTestBed.event(refused, 3));
            bed.commit(RelayTestBed.event(healthy, 3));
            records = topic.readUntil(seen -> RelayTestBed.sequencesOf(healthy, seen).size() >= 3,
                    Duration.ofSeconds(30));

            assertThat(RelayTestBed.sequencesOf(healthy, records)).as("every other aggregate flows, each once")
                    .containsExactly(1L, 2L, 3L);
            assertThat(RelayTestBed.sequencesOf(refused, records)).as("nothing of the refused aggregate").isEmpty();
            assertThat(failed).singleElement().satisfies(row -> {
                assertThat(row.entry().aggregateId()).isEqualTo(refused);
                assertThat(row.entry().sequence()).isEqualTo(1);
                assertThat(row.lastError()).contains("RecordTooLargeException");
            });
            // The relay stores a row it set aside with its slot's next position, within 100 ms.
            assertThat(awaitStates(refused, List.of("FAILED", "HELD", "HELD"))).containsExactly("FAILED", "HELD",
                    "HELD");
            // The rows of the refused aggregate wait; everything else is published.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bed.entries.backlog())
                    .satisfies(backlog -> {
                        assertThat(backlog.size()).isEqualTo(3);
                        assertThat(backlog.failed()).isEqualTo(1);
                    }));
            assertThat(bed.entries.blockers(10)).singleElement()
                    .satisfies(blocker -> assertThat(blocker.waiting()).isEqualTo(2));
        }
        finally {
            bed.limitTopicRecordSize(null);
        }

        // Ops raise the topic's limit and retry the row: the aggregate follows, in order.
        assertThat(bed.entries.retry(bed.entries.failed(10).get(0).entry().id())).isTrue();
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> RelayTestBed.sequencesOf(refused, seen).size() >= 3, Duration.ofSeconds(30));
        assertThat(RelayTestBed.sequencesOf(refused, records)).containsExactly(1L, 2L, 3L);
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
        assertThat(bed.entries.failed(10)).isEmpty();
    }

    @Test
    void failsARowThisVersionCannotReadAndLetsOpsDiscardIt() throws Exception {
        UUID newer = UUID.randomUUID();
        // A newer version wrote a row of an aggregate type this one does not know.
        bed.jdbc.update("""
                insert into outbox (event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version,
                                    payload, occurred_at)
                values (gen_random_uuid(), 'invoice', ?, 1, 'invoice.issued', 1, '{}', now())
                """, newer);
        bed.commit(RelayTestBed.event(newer, 2));
        UUID healthy = bed.commitOrderEvents(3);
        bed.startRelay(RelayTestBed.settings());

        List<OutboxEntries.Row> failed = awaitFailed(1);
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> RelayTestBed.sequencesOf(healthy, seen).size() >= 3, Duration.ofSeconds(30));
        assertThat(failed).singleElement().satisfies(row -> {
            assertThat(row.entry().aggregateId()).isEqualTo(newer);
            assertThat(row.lastError()).contains("invoice");
        });
        assertThat(RelayTestBed.sequencesOf(healthy, records)).containsExactly(1L, 2L, 3L);
        assertThat(RelayTestBed.sequencesOf(newer, records)).isEmpty();

        assertThat(bed.entries.discard(failed.get(0).entry().id(), "written by a version we rolled back", "ops-1"))
                .isTrue();

        records = topic.readUntil(seen -> !RelayTestBed.sequencesOf(newer, seen).isEmpty(), Duration.ofSeconds(30));
        assertThat(RelayTestBed.sequencesOf(newer, records)).as("the aggregate's later row flows").containsExactly(2L);
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
        assertThat(bed.entries.history(newer)).extracting(OutboxEntries.Row::state)
                .containsExactly("DISCARDED", "PUBLISHED");
        assertThat(bed.jdbc.queryForMap("select reason, discarded_by, last_error from outbox_discarded"))
                .containsEntry("reason", "written by a version we rolled back").containsEntry("discarded_by", "ops-1")
                .hasEntrySatisfying("last_error", error -> assertThat((String) error).contains("invoice"));
        assertThat(bed.entries.discard(failed.get(0).entry().id(), "again", "ops-1")).as("only failed rows").isFalse();
    }

    @Test
    void reportsARelayThatAnErrorStoppedAsDown() throws Exception {
        bed.commitOrderEvents(1);
        Relay broken = bed.startRelay(RelayTestBed.settings(), () -> {
            throw new NoClassDefFoundError("org/apache/kafka/clients/producer/KafkaProducer");
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> !broken.status().running());
        Health health = outboxHealth(broken, Duration.ofMinutes(5));

        assertThat(broken.status().running()).isFalse();
        assertThat(broken.status().lastError()).contains("NoClassDefFoundError");
        assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
        assertThat(health.getDetails()).containsEntry("lastError", broken.status().lastError());
        assertThat(bed.unpublished()).as("nothing lost").isEqualTo(1);
    }

    @Test
    void splitsTenThousandEventsOverSeveralRelaysWithoutReorderingAnyOrder() throws Exception {
        int orders = 200;
        int eventsPerOrder = 50;
        List<Relay> relays = List.of(bed.startRelay(RelayTestBed.settings()),
                bed.startRelay(RelayTestBed.settings()), bed.startRelay(RelayTestBed.settings()));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            ids.add(UUID.randomUUID());
        }

        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> writing = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writing.add(writers.submit(() -> {
                for (int sequence = 1; sequence <= eventsPerOrder; sequence++) {
                    for (int i = writer; i < orders; i += 8) {
                        bed.commit(RelayTestBed.event(ids.get(i), sequence));
                    }
                }
            }));
        }
        for (Future<?> done : writing) {
            done.get(5, TimeUnit.MINUTES);
        }
        writers.shutdown();

        assertThat(bed.awaitAllPublished(Duration.ofMinutes(2))).isZero();
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> seen.stream().filter(r -> ids.contains(UUID.fromString(r.key()))).count()
                        >= (long) orders * eventsPerOrder, Duration.ofMinutes(1));
        List<Long> complete = LongStream.rangeClosed(1, eventsPerOrder).boxed().toList();
        for (UUID id : ids) {
            assertThat(RelayTestBed.sequencesOf(id, records)).as("order %s on Kafka", id).isEqualTo(complete);
        }
        if (mode == RelaySettings.Mode.POLLING) {
            assertThat(relays).allSatisfy(relay -> assertThat(relay.status().published())
                    .as("every relay did part of the work").isPositive());
        }
        else {
            assertThat(relays).filteredOn(relay -> relay.status().published() > 0)
                    .as("one instance streams the slot, the others stand by").hasSize(1);
        }
        assertThat(relays.stream().mapToLong(relay -> relay.status().published()).sum())
                .isEqualTo((long) orders * eventsPerOrder);
    }

    @Test
    void republishesWhatARelayKilledBetweenKafkasAckAndTheMarkHadSent() throws Exception {
        UUID order = bed.commitOrderEvents(20);
        bed.holdPositionWrites();
        Process child = startChildRelay();
        List<Long> sentBeforeTheKill;
        try {
            awaitMarkInProgress();
            // The relay moves a slot's position only after Kafka acknowledged every row before it.
            sentBeforeTheKill = RelayTestBed.sequencesOf(order, topic.readUntil(
                    seen -> !RelayTestBed.sequencesOf(order, seen).isEmpty(), Duration.ofSeconds(30)));
            assertThat(sentBeforeTheKill).as("acknowledged by Kafka before the position moved").isNotEmpty();
        }
        finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // The process is gone; its database session dies with it, taking the half-done mark along.
        bed.jdbc.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'relay-child'");
        bed.releasePositionWrites();
        assertThat(bed.unpublished()).as("no position moved").isEqualTo(20);

        bed.startRelay(RelayTestBed.settings());

        assertThat(bed.awaitAllPublished(Duration.ofSeconds(30))).isZero();
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> RelayTestBed.sequencesOf(order, seen).size() >= sentBeforeTheKill.size() + 20,
                Duration.ofSeconds(30));
        List<Long> sequences = RelayTestBed.sequencesOf(order, records);
        assertThat(new HashSet<>(sequences)).as("every event at least once")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(sequences).as("published again after the restart, in order")
                .endsWith(LongStream.rangeClosed(1, 20).boxed().toArray(Long[]::new));
    }

    @Test
    void drainsEverythingCommittedWhileKafkaWasDownInOrder() throws Exception {
        Relay relay = bed.startRelay(RelayTestBed.settings());
        List<UUID> orders = new ArrayList<>();
        int eventsPerOrder = 6;
        for (int i = 0; i < 10; i++) {
            orders.add(bed.commitOrderEvents(2));
        }
        topic.readUntil(seen -> orders.stream().allMatch(id -> RelayTestBed.sequencesOf(id, seen).size() >= 2),
                Duration.ofSeconds(30));
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).as("published as ops see it").isZero();

        bed.servers.stopKafka();
        try {
            for (int sequence = 3; sequence <= eventsPerOrder; sequence++) {
                for (UUID id : orders) {
                    bed.commit(RelayTestBed.event(id, sequence));
                }
            }
            Thread.sleep(2000);
            assertThat(bed.unpublished()).as("commands kept being accepted; their events wait")
                    .isEqualTo(orders.size() * (eventsPerOrder - 2L));
            await().atMost(Duration.ofSeconds(15)).until(() -> relay.status().lastError() != null);
            assertThat(relay.status().lastError()).as("health names Kafka").contains("Kafka");
            if (mode == RelaySettings.Mode.CDC) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(relay.details())
                        .as("the slot keeps the log and says how far behind it is")
                        .hasEntrySatisfying("lagBytes", bytes -> assertThat((Long) bytes).isPositive())
                        .hasEntrySatisfying("lagSeconds", seconds -> assertThat((Double) seconds).isGreaterThan(1)));
            }
        }
        finally {
            bed.servers.startKafka();
        }

        assertThat(bed.awaitAllPublished(Duration.ofSeconds(60))).isZero();
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> orders.stream().allMatch(id -> new HashSet<>(RelayTestBed.sequencesOf(id, seen)).size()
                        == eventsPerOrder), Duration.ofSeconds(30));
        for (UUID id : orders) {
            List<Long> sequences = RelayTestBed.sequencesOf(id, records);
            assertThat(firstOccurrences(sequences)).as("order %s: none lost, first seen in order", id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, eventsPerOrder).boxed().toList());
            assertNoGapReadingInOrder(sequences);
        }
    }

    @Test
    void letsNoRowOvertakeAFailedRowOfItsAggregateBeyondTheFailedRowsItLoadsAtOnce() throws Exception {
        // 10,000 failed rows of other orders (as many as a relay loads at once), then this order's.
        UUID template = bed.commitOrderEvents(1);
        bed.jdbc.update("""
                insert into outbox (event_id, aggregate_type, aggregate_id, sequence, event_type, schema_version,
                                    payload, occurred_at)
                select gen_random_uuid(), aggregate_type, gen_random_uuid(), 1, event_type, schema_version, payload,
                       occurred_at
                  from outbox, generate_series(1, 10000) n where aggregate_id = ?
                """, template);
        UUID order = UUID.randomUUID();
        bed.commit(RelayTestBed.event(order, 1));
        bed.jdbc.update("""
                insert into outbox_held (id, slot, aggregate_id, failed_at, last_error, attempts)
                select id, slot, aggregate_id, now(), 'refused in a test', 1 from outbox
                 where aggregate_id <> ? order by id
                """, order);
        bed.jdbc.update("""
                insert into outbox_held (id, slot, aggregate_id, failed_at, last_error, attempts)
                select id, slot, aggregate_id, now(), 'refused in a test', 1 from outbox where aggregate_id = ?
                """, order);
        bed.markAllPublished();
        bed.commit(RelayTestBed.event(order, 2));
        UUID probe = bed.commitOrderEvents(1);
        long second = bed.jdbc.queryForObject("select id from outbox where aggregate_id = ? and sequence = 2",
                Long.class, order);

        bed.startRelay(RelayTestBed.settings());
        topic.readUntil(seen -> !RelayTestBed.sequencesOf(probe, seen).isEmpty(), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> bed.jdbc.queryForObject(
                "select count(*) from outbox_held where id = ?", Long.class, second) == 1
                || !RelayTestBed.sequencesOf(order, topic.readUntil(seen -> false, Duration.ofMillis(200))).isEmpty());

        assertThat(RelayTestBed.sequencesOf(order, topic.readUntil(seen -> false, Duration.ofSeconds(1))))
                .as("nothing of the order passes its failed row").isEmpty();
        assertThat(bed.jdbc.queryForObject("select count(*) from outbox_held where id = ? and failed_at is null",
                Long.class, second)).as("the order's next row waits behind it").isEqualTo(1);
    }

    @Test
    void republishesOnlyOnceThePositionsPassedEveryEventTheRelayPublished() throws Exception {
        bed.startRelay(RelayTestBed.settings());
        UUID probe = bed.commitOrderEvents(1);
        topic.readUntil(seen -> !RelayTestBed.sequencesOf(probe, seen).isEmpty(), Duration.ofSeconds(60));
        UUID order = UUID.randomUUID();
        boolean passedMeanwhile;
        try (Connection older = bed.dataSource.getConnection()) {
            older.setAutoCommit(false);
            try (Statement statement = older.createStatement()) {
                statement.execute("select pg_current_xact_id()");
            }
            for (long sequence = 1; sequence <= 3; sequence++) {
                bed.commit(RelayTestBed.event(order, sequence));
            }
            if (mode == RelaySettings.Mode.CDC) {
                // On Kafka already, while the positions wait behind the older transaction.
                topic.readUntil(seen -> RelayTestBed.sequencesOf(order, seen).size() >= 3, Duration.ofSeconds(30));
            }
            passedMeanwhile = bed.entries.awaitPassed(order, Duration.ofSeconds(3));
            older.commit();
        }
        boolean passed = bed.entries.awaitPassed(order, Duration.ofSeconds(30));
        int queued = bed.entries.republish(order);
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> RelayTestBed.sequencesOf(order, seen).size() >= 6, Duration.ofSeconds(30));

        assertThat(passedMeanwhile).as("held back by the running transaction").isFalse();
        assertThat(passed).as("once it ended").isTrue();
        assertThat(queued).isEqualTo(3);
        assertThat(RelayTestBed.sequencesOf(order, records)).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
    }

    @Test
    void republishesAnAggregatesPublishedEventsInOrderWhenOpsAsk() throws Exception {
        UUID order = publishedOrder(3);

        assertThat(bed.entries.republish(order)).as("queued again").isEqualTo(3);

        topic.readUntil(seen -> RelayTestBed.sequencesOf(order, seen).size() >= 6, Duration.ofSeconds(30));
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
        bed.commit(RelayTestBed.event(order, 4));
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> RelayTestBed.sequencesOf(order, seen).size() >= 7, Duration.ofSeconds(30));
        assertThat(RelayTestBed.sequencesOf(order, records)).as("the history again, then what came after it")
                .containsExactly(1L, 2L, 3L, 1L, 2L, 3L, 4L);
    }

    @Test
    void keepsPublishedHistoryForTheRetentionThenDeletesItWithoutPublishingAnything() throws Exception {
        UUID order = publishedOrder(5);
        bed.jdbc.update("update outbox set occurred_at = now() - interval '8 days' where aggregate_id = ?", order);

        int deleted = new OutboxRetention(bed.entries, new RetentionSettings(Duration.ofDays(7), 2,
                Duration.ofMinutes(1)), java.time.Clock.systemUTC()).deleteExpired();
        bed.commit(RelayTestBed.event(order, 6));

        assertThat(deleted).isEqualTo(5);
        assertThat(bed.entries.history(order)).extracting(row -> row.entry().sequence()).containsExactly(6L);
        List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                seen -> RelayTestBed.sequencesOf(order, seen).size() >= 6, Duration.ofSeconds(30));
        assertThat(RelayTestBed.sequencesOf(order, records)).as("the deletes and the update are not events")
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void anotherInstanceTakesOverWithinSecondsWhenOneIsKilled() throws Exception {
        UUID order = bed.commitOrderEvents(3);
        Process child = startChildRelay();
        try {
            topic.readUntil(seen -> RelayTestBed.sequencesOf(order, seen).size() >= 3, Duration.ofSeconds(60));
            Relay standing = bed.startRelay(RelayTestBed.settings());
            await().atMost(Duration.ofSeconds(10)).until(() -> standing.status().members() == 2);
            if (mode == RelaySettings.Mode.CDC) {
                assertThat(standing.status().ownedSlots()).as("stands by while the other streams").isEmpty();
            }
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            // The killed process's sessions end with it; PostgreSQL frees its locks and its slot.
            bed.jdbc.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                    + "where application_name = 'relay-child'");
            for (int sequence = 4; sequence <= 6; sequence++) {
                bed.commit(RelayTestBed.event(order, sequence));
            }

            await("the survivor takes everything over within seconds").atMost(Duration.ofSeconds(10))
                    .until(() -> standing.status().ownedSlots().size() == OutboxEntries.SLOTS);
            List<ConsumerRecord<String, byte[]>> records = topic.readUntil(
                    seen -> new HashSet<>(RelayTestBed.sequencesOf(order, seen)).size() >= 6, Duration.ofSeconds(60));
            assertThat(firstOccurrences(RelayTestBed.sequencesOf(order, records)))
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(bed.awaitAllPublished(Duration.ofSeconds(20))).isZero();
        }
        finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A running relay, and an order whose events it published (on Kafka, and as ops see it). */
    private UUID publishedOrder(int events) throws Exception {
        bed.startRelay(RelayTestBed.settings());
        UUID order = bed.commitOrderEvents(events);
        topic.readUntil(seen -> RelayTestBed.sequencesOf(order, seen).size() >= events, Duration.ofSeconds(60));
        assertThat(bed.awaitAllPublished(Duration.ofSeconds(10))).isZero();
        return order;
    }

    private Process startChildRelay() throws java.io.IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RelayMain.class.getName(), bed.jdbcUrl,
                bed.servers.jdbcUsername(), bed.servers.jdbcPassword(), bed.servers.kafkaBootstrapServers(),
                mode.name(), bed.slotName)
                .redirectErrorStream(true).redirectOutput(File.createTempFile("relay-child", ".log")).start();
    }

    /** The outbox's health as an indicator with the given {@code max-age} reports it now. */
    private Health outboxHealth(Relay relay, Duration maxAge) {
        OutboxHealthIndicator health = new OutboxHealthIndicator(
                new OutboxMetrics(bed.entries, java.time.Clock.systemUTC()),
                new org.springframework.beans.factory.support.StaticListableBeanFactory(
                        java.util.Map.of("relay", relay)).getBeanProvider(Relay.class),
                new OutboxHealthIndicator.HealthSettings(maxAge));
        try {
            return health.health();
        }
        finally {
            health.close();
        }
    }

    /**
     * Waits until the child relay's record of what Kafka acknowledged hangs where
     * {@link RelayTestBed#holdPositionWrites} holds it.
     */
    private void awaitMarkInProgress() {
        await("the child relay recording what Kafka acknowledged").atMost(Duration.ofSeconds(30))
                .until(() -> bed.jdbc.queryForObject("select count(*) from pg_stat_activity where application_name = "
                        + "'relay-child' and wait_event = 'PgSleep'", Long.class), sleeping -> sleeping > 0);
    }

    private List<String> awaitStates(UUID aggregate, List<String> expected) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> states(aggregate), expected::equals);
    }

    private List<String> states(UUID aggregate) {
        return bed.entries.history(aggregate).stream().map(OutboxEntries.Row::state).toList();
    }

    private List<OutboxEntries.Row> awaitFailed(int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> bed.entries.failed(10),
                failed -> failed.size() >= count);
    }

    private static List<Long> firstOccurrences(List<Long> sequences) {
        Set<Long> seen = new HashSet<>();
        return sequences.stream().filter(seen::add).toList();
    }

    /** A consumer applying only event n on top of n-1 never meets an event it cannot apply yet. */
    private static void assertNoGapReadingInOrder(List<Long> sequences) {
        long applied = 0;
        for (long sequence : sequences) {
            assertThat(sequence).as("after applying %d", applied).isLessThanOrEqualTo(applied + 1);
            applied = Math.max(applied, sequence);
        }
    }

}

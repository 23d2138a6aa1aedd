package io.ordercqrs.query.projection;

import static io.ordercqrs.query.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordercqrs.events.CustomerId;
import io.ordercqrs.events.DomainEvent;
import io.ordercqrs.events.OrderId;
import io.ordercqrs.events.Topics;
import io.ordercqrs.events.wire.CloudEventHeaders;
import io.ordercqrs.query.EventPublisher;
import io.ordercqrs.query.QueryServiceTest;
import io.ordercqrs.query.TestEvents;
import io.ordercqrs.query.deadletter.DeadLetter;
import io.ordercqrs.query.deadletter.DeadLetterStatus;
import io.ordercqrs.query.generation.ActiveViews;
import io.ordercqrs.query.orderview.OrderView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Records that are not events never stop a partition: they end as dead letters, kept whole, while
 * later records on the same partition are applied.
 */
@QueryServiceTest
@ExtendWith(OutputCaptureExtension.class)
class PoisonRecordIntegrationTests {

    private static final int PARTITION = 2;

    @Autowired
    MongoTemplate mongo;

    @Autowired
    ActiveViews active;

    private final EventPublisher kafka = new EventPublisher();
    private final CustomerId customer = TestEvents.newCustomer();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void parksBytesThatAreNotJsonAndAppliesTheRecordsAfterThem() {
        OrderId poisoned = TestEvents.newOrder();
        OrderId healthy = TestEvents.newOrder();
        ProducerRecord<String, byte[]> garbage = onPartition(TestEvents.placed(poisoned, customer, T0));
        byte[] notJson = {(byte) 0xC3, 0x28, '{', 'o', 'o', 'p', 's'};
        kafka.publishRaw(new ProducerRecord<>(garbage.topic(), PARTITION, garbage.key(), notJson, garbage.headers()));
        kafka.publishRaw(onPartition(TestEvents.paid(poisoned, customer, T0.plusSeconds(1))));
        kafka.publishRaw(onPartition(TestEvents.placed(healthy, customer, T0)));

        await().atMost(Duration.ofSeconds(30)).until(() -> view(healthy) != null);
        DeadLetter parked = letter(poisoned, 1);
        assertThat(parked.status()).isEqualTo(DeadLetterStatus.PARKED);
        assertThat(parked.errorType()).isEqualTo("MalformedEvent");
        assertThat(parked.attempts()).isEqualTo(3);
        assertThat(parked.topic()).isEqualTo(Topics.ORDER_EVENTS);
        assertThat(parked.partition()).isEqualTo(PARTITION);
        assertThat(parked.payload()).as("the raw bytes, unchanged").isEqualTo(notJson);
        assertThat(parked.headers()).extracting(DeadLetter.Header::name)
                .contains(CloudEventHeaders.ID, CloudEventHeaders.TYPE, CloudEventHeaders.SEQUENCE);
        assertThat(parked.eventType()).isEqualTo("order.placed");
        DeadLetter held = letter(poisoned, 2);
        assertThat(held.status()).as("the order's payment waits behind its unreadable placement")
                .isEqualTo(DeadLetterStatus.HELD);
        assertThat(held.blockedBy()).isEqualTo(parked.id());
        assertThat(held.offset()).isGreaterThan(parked.offset());
        assertThat(view(poisoned)).isNull();
    }

    @Test
    void logsTheParkingInTheTraceOfTheCommandThatCausedTheRecord(CapturedOutput output) {
        OrderId poisoned = TestEvents.newOrder();
        String traceId = "5d2f1c0e9b8a47d6a3c2b1e0f9d8c7b6";
        ProducerRecord<String, byte[]> placed = onPartition(TestEvents.placed(poisoned, customer, T0));
        placed.headers().remove(CloudEventHeaders.TRACEPARENT)
                .add(CloudEventHeaders.TRACEPARENT, ("00-" + traceId + "-b7ad6b7169203331-01").getBytes(StandardCharsets.UTF_8));
        kafka.publishRaw(new ProducerRecord<>(placed.topic(), PARTITION, placed.key(), new byte[] {'{'},
                placed.headers()));

        DeadLetter parked = letter(poisoned, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().lines()
                .anyMatch(line -> line.contains("Parked " + parked.id())));

        assertThat(output.getOut().lines().filter(line -> line.contains("Parked " + parked.id())))
                .singleElement().asString().contains(traceId);
    }

    @Test
    void parksAnEventOfAnUnknownTypeAndAppliesTheRecordsAfterIt() {
        OrderId mystery = TestEvents.newOrder();
        OrderId healthy = TestEvents.newOrder();
        ProducerRecord<String, byte[]> unknown = onPartition(TestEvents.placed(mystery, customer, T0));
        unknown.headers().remove(CloudEventHeaders.TYPE);
        unknown.headers().add(CloudEventHeaders.TYPE, "order.teleported".getBytes(StandardCharsets.UTF_8));
        kafka.publishRaw(unknown);
        kafka.publishRaw(onPartition(TestEvents.placed(healthy, customer, T0)));

        await().atMost(Duration.ofSeconds(30)).until(() -> view(healthy) != null);
        DeadLetter parked = letter(mystery, 1);
        assertThat(parked.status()).isEqualTo(DeadLetterStatus.PARKED);
        assertThat(parked.errorType()).isEqualTo("UnknownEventType");
        assertThat(parked.error()).contains("order.teleported");
        assertThat(parked.eventType()).isEqualTo("order.teleported");
        assertThat(parked.payload()).isEqualTo(unknown.value());
    }

    private static ProducerRecord<String, byte[]> onPartition(DomainEvent event) {
        ProducerRecord<String, byte[]> record = EventPublisher.record(event);
        return new ProducerRecord<>(record.topic(), PARTITION, record.key(), record.value(), record.headers());
    }

    private OrderView view(OrderId order) {
        return mongo.findById(order.toString(), OrderView.class, active.current().collection(OrderView.VIEW));
    }

    private DeadLetter letter(OrderId order, long sequence) {
        Query query = Query.query(Criteria.where("key").is(order.toString()).and("sequence").is(sequence)
                .and("generation").is(active.current().generation()));
        await().atMost(Duration.ofSeconds(30)).until(() -> mongo.findOne(query, DeadLetter.class, "dead_letters") != null);
        return mongo.findOne(query, DeadLetter.class, "dead_letters");
    }
}

package io.ordercqrs.events.wire;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;

/** Turns a produced record into the record a consumer would receive, without a broker. */
final class KafkaRecords {

    private KafkaRecords() {
    }

    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record) {
        return consumed(record, 0, 42);
    }

    static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record, int partition, long offset) {
        return new ConsumerRecord<>(record.topic(), partition, offset, 0L, TimestampType.CREATE_TIME,
                record.key() == null ? -1 : record.key().length(), record.value() == null ? -1 : record.value().length,
                record.key(), record.value(), record.headers(), Optional.empty());
    }
}

package io.ordercqrs.command.outbox;

import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One change the Debezium engine read from the log, as the relay sees it: an outbox row, a
 * {@link Mark}, or something to let pass ({@link #IGNORED}: heartbeats, tombstones).
 */
sealed interface CdcChange {

    /** A committed outbox insert. */
    record Row(OutboxEntry entry) implements CdcChange {
    }

    /**
     * A mark the relay wrote into the log: every transaction older than {@code horizon} committed
     * before it.
     */
    record Mark(long id, long horizon, Instant markedAt) implements CdcChange {
    }

    /** Nothing for the relay. */
    enum Ignored implements CdcChange {
        IGNORED
    }

    CdcChange IGNORED = Ignored.IGNORED;

    /** The change a record of the engine carries. */
    static CdcChange of(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("after") == null) {
            return IGNORED;
        }
        Struct after = value.getStruct("after");
        Struct source = value.getStruct("source");
        if (after == null || source == null) {
            return IGNORED;
        }
        return switch (source.getString("table")) {
            case "outbox" -> new Row(entryOf(after, source));
            case "outbox_cdc_marks" -> new Mark(after.getInt64("id"), after.getInt64("horizon"),
                    Instant.parse(after.getString("marked_at")));
            default -> IGNORED;
        };
    }

    /**
     * The outbox row of an insert. Its slot, a generated column, is not in the log; its position
     * holds the writing transaction's 32-bit id from the log.
     */
    private static OutboxEntry entryOf(Struct after, Struct source) {
        long id = after.getInt64("id");
        Long transaction = source.getInt64("txId");
        return new OutboxEntry(id, -1, new Position(transaction == null ? 0 : transaction, id),
                UUID.fromString(after.getString("event_id")), after.getString("aggregate_type"),
                UUID.fromString(after.getString("aggregate_id")), after.getInt64("sequence"),
                after.getString("event_type"), after.getInt32("schema_version"), after.getString("payload"),
                after.getString("headers"), Instant.parse(after.getString("occurred_at")));
    }
}

package io.ordercqrs.command.outbox;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outbox relay, under {@code ordercqrs.outbox.relay}.
 *
 * @param enabled            whether this instance relays (switch off to run relays apart from the API)
 * @param mode               how the relay finds new rows: {@code polling} reads the table, {@code cdc}
 *                           reads PostgreSQL's write-ahead log through the Debezium engine
 * @param batchSize          rows read per round trip to PostgreSQL (per engine batch in {@code cdc} mode)
 * @param pollInterval       how long an idle relay waits for a commit notification before looking anyway
 * @param rebalanceInterval  how often an instance recounts the live instances and adjusts its share
 * @param initialBackoff     the first pause after Kafka or PostgreSQL fails; it doubles per failure
 * @param maxBackoff         the longest pause between attempts
 * @param sendTimeout        how long to wait for Kafka to acknowledge a batch
 * @param maxRecordBytes     records larger than this are refused for good without trying
 *                           (keep it at or below the broker's {@code message.max.bytes})
 * @param lockNamespace      first of four advisory-lock keys the relay uses (two per mode)
 * @param cdc                settings of the {@code cdc} mode
 */
@Validated
@ConfigurationProperties("ordercqrs.outbox.relay")
public record RelaySettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("polling") @NotNull Mode mode,
        @DefaultValue("2000") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("2s") @NotNull Duration rebalanceInterval,
        @DefaultValue("100ms") @NotNull Duration initialBackoff,
        @DefaultValue("10s") @NotNull Duration maxBackoff,
        @DefaultValue("30s") @NotNull Duration sendTimeout,
        @DefaultValue("1000000") @Min(1024) int maxRecordBytes,
        @DefaultValue("1869901668") int lockNamespace,
        @DefaultValue @NotNull @Valid Cdc cdc) {

    /** How the relay finds committed outbox rows. */
    public enum Mode {
        /** Reads each slot's new rows from the table, woken by a notification on commit. */
        POLLING,
        /** Reads committed inserts from PostgreSQL's write-ahead log (logical replication, Debezium). */
        CDC
    }

    /**
     * The {@code cdc} mode, under {@code ordercqrs.outbox.relay.cdc}. One instance at a time
     * streams the slot; the others stand by.
     *
     * @param slotName        the logical replication slot (one per database; unique in the cluster)
     * @param publicationName the publication of the outbox tables the relay creates
     * @param markInterval    how often the streaming instance writes a mark into the log: it keeps the
     *                        slot moving when the outbox is quiet, measures the lag in time, and tells
     *                        which rows Kafka has (what ops and retention see as published)
     * @param pollInterval    the longest a change waits in the engine's queue for more to hand over
     *                        with it: the latency a quiet outbox adds. The engine's queue ends each
     *                        such wait with about a millisecond of busy waiting, so a shorter interval
     *                        costs an idle instance CPU (1 ms: half a core; 10 ms: under a tenth)
     */
    public record Cdc(
            @DefaultValue("ordercqrs_outbox") @NotNull @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") String slotName,
            @DefaultValue("ordercqrs_outbox") @NotNull @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}")
            String publicationName,
            @DefaultValue("1s") @NotNull Duration markInterval,
            @DefaultValue("10ms") @NotNull Duration pollInterval) {
    }
}

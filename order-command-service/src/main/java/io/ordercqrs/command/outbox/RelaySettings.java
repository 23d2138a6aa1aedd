package io.ordercqrs.command.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outbox relay, under {@code ordercqrs.outbox.relay}.
 *
 * @param enabled            whether this instance relays (switch off to run relays apart from the API)
 * @param batchSize          rows published per round trip
 * @param pollInterval       how long an idle relay waits for a commit notification before looking anyway
 * @param rebalanceInterval  how often an instance recounts the live instances and adjusts its share
 * @param initialBackoff     the first pause after Kafka or PostgreSQL fails; it doubles per failure
 * @param maxBackoff         the longest pause between attempts
 * @param sendTimeout        how long to wait for Kafka to acknowledge a batch
 * @param maxRecordBytes     records larger than this are refused for good without trying
 *                           (keep it at or below the broker's {@code message.max.bytes})
 * @param lockNamespace      first of two advisory-lock keys the relay uses
 */
@Validated
@ConfigurationProperties("ordercqrs.outbox.relay")
public record RelaySettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("2s") @NotNull Duration rebalanceInterval,
        @DefaultValue("100ms") @NotNull Duration initialBackoff,
        @DefaultValue("10s") @NotNull Duration maxBackoff,
        @DefaultValue("30s") @NotNull Duration sendTimeout,
        @DefaultValue("1000000") @Min(1024) int maxRecordBytes,
        @DefaultValue("1869901668") int lockNamespace) {
}

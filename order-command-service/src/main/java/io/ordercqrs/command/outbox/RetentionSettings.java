package io.ordercqrs.command.outbox;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long published outbox rows stay as event history, under {@code ordercqrs.outbox.retention}.
 *
 * @param keep      how long a published row is kept (so ops can republish an aggregate's events)
 * @param batchSize rows deleted per statement, so deleting never locks the table for long
 * @param interval  how often old rows are deleted
 */
@Validated
@ConfigurationProperties("ordercqrs.outbox.retention")
public record RetentionSettings(
        @DefaultValue("7d") @NotNull Duration keep,
        @DefaultValue("1000") @Min(1) int batchSize,
        @DefaultValue("1m") @NotNull Duration interval) {
}

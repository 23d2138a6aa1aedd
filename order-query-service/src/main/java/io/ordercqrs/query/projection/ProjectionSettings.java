package io.ordercqrs.query.projection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the projections consume and retry, under {@code ordercqrs.projection}.
 *
 * @param concurrency    consumers per instance; more than the topics' partitions idle
 * @param maxAttempts    how often a failing record is tried before it is parked as a dead letter
 * @param initialBackoff the wait before the first retry; it doubles on each further retry
 * @param maxBackoff     the longest wait between retries, also while MongoDB is unreachable
 * @param recentOrders   how many recent orders a customer summary lists
 */
@Validated
@ConfigurationProperties("ordercqrs.projection")
public record ProjectionSettings(
        @DefaultValue("3") @Min(1) @Max(64) int concurrency,
        @DefaultValue("3") @Min(1) @Max(20) int maxAttempts,
        @DefaultValue("200ms") @NotNull Duration initialBackoff,
        @DefaultValue("5s") @NotNull Duration maxBackoff,
        @DefaultValue("5") @Min(1) @Max(50) int recentOrders) {
}

package io.ordercqrs.query.orderview;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds of the query API, under {@code ordercqrs.query}.
 *
 * @param maxWait     the longest a query with a minimum version waits for the view to reach it
 * @param pollEvery   how soon the view of a query that waits is first read (views this instance writes
 *                    answer at once); each later read comes twice as long after the one before, up to
 *                    8 times this, and the last this long before {@code maxWait} ends (one read for all
 *                    the queries due)
 * @param maxWaiting  how many queries may wait at once on this instance; more are answered 503 at once
 * @param maxPageSize the largest page a list answers; larger requests are refused
 */
@Validated
@ConfigurationProperties("ordercqrs.query")
public record QuerySettings(
        @DefaultValue("5s") @NotNull Duration maxWait,
        @DefaultValue("20ms") @NotNull Duration pollEvery,
        @DefaultValue("10000") @Min(1) int maxWaiting,
        @DefaultValue("100") @Min(1) @Max(1000) int maxPageSize) {
}

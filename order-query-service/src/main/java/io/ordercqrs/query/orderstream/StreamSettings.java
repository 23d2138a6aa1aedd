package io.ordercqrs.query.orderstream;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How order view streams behave, under {@code ordercqrs.streams}.
 *
 * @param heartbeatEvery how often an idle stream gets a comment line, so proxies keep it open
 * @param maxPerCaller   streams one caller (one token subject) may hold open on an instance; more are
 *                       refused with 429
 * @param maxOpen        streams an instance holds open in all; more are refused with 429
 * @param queueLimit     events waiting to be sent to one stream; a client that falls further behind is
 *                       dropped (it reconnects with {@code Last-Event-ID})
 * @param resendLimit    most views sent again to a client that reconnects with {@code Last-Event-ID}
 * @param maxDuration    how long a stream stays open before the server ends it (clients reconnect)
 */
@Validated
@ConfigurationProperties("ordercqrs.streams")
public record StreamSettings(
        @DefaultValue("15s") @NotNull Duration heartbeatEvery,
        @DefaultValue("5") @Min(1) @Max(1000) int maxPerCaller,
        @DefaultValue("1000") @Min(1) int maxOpen,
        @DefaultValue("256") @Min(1) int queueLimit,
        @DefaultValue("1000") @Min(0) @Max(10_000) int resendLimit,
        @DefaultValue("30m") @NotNull Duration maxDuration) {
}

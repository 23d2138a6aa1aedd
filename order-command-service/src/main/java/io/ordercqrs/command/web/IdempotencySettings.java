package io.ordercqrs.command.web;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the first answer to an {@code Idempotency-Key} is kept, under {@code ordercqrs.idempotency}.
 *
 * @param retention how long a key answers retries; later the key is forgotten
 */
@Validated
@ConfigurationProperties("ordercqrs.idempotency")
public record IdempotencySettings(@DefaultValue("24h") @NotNull Duration retention) {
}

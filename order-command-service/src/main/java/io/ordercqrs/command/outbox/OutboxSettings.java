package io.ordercqrs.command.outbox;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outbox, under {@code ordercqrs.outbox}.
 *
 * @param source the CloudEvents {@code source} stamped on every event
 */
@Validated
@ConfigurationProperties("ordercqrs.outbox")
public record OutboxSettings(@DefaultValue("/order-command-service") @NotBlank String source) {
}

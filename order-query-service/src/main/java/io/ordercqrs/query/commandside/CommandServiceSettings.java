package io.ordercqrs.query.commandside;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the command service answers, under {@code ordercqrs.command-service}: the admin API asks it
 * for retained event history, failed outbox rows and the current state to verify against, with
 * the ops caller's own token.
 *
 * @param url     the command service's base URL
 * @param timeout how long one call may take
 */
@Validated
@ConfigurationProperties("ordercqrs.command-service")
public record CommandServiceSettings(
        @DefaultValue("http://localhost:8081") @NotNull URI url,
        @DefaultValue("10s") @NotNull Duration timeout) {
}

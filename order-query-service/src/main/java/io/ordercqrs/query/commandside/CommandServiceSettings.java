package io.ordercqrs.query.commandside;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Where the command service answers, under {@code ordercqrs.command-service}: the admin API asks it
 * for retained event history, failed outbox rows and the current state to verify against, with
 * the ops caller's own token. With a client of its own at the token issuer, the query service
 * reads the history with its own token instead (the OAuth2 client-credentials grant), so any
 * instance can go on with a rebuild whose reader stopped.
 *
 * @param url          the command service's base URL
 * @param timeout      how long one call may take
 * @param clientId     the query service's client id at the issuer, or none
 * @param clientSecret that client's secret (HTTP Basic to the token endpoint)
 * @param tokenUri     the issuer's token endpoint
 */
@Validated
@ConfigurationProperties("ordercqrs.command-service")
public record CommandServiceSettings(
        @DefaultValue("http://localhost:8081") @NotNull URI url,
        @DefaultValue("10s") @NotNull Duration timeout,
        @Nullable String clientId,
        @Nullable String clientSecret,
        @Nullable URI tokenUri) {

    public CommandServiceSettings {
        clientId = StringUtils.hasText(clientId) ? clientId : null;
        clientSecret = StringUtils.hasText(clientSecret) ? clientSecret : null;
        tokenUri = tokenUri == null || tokenUri.toString().isBlank() ? null : tokenUri;
        if (clientId != null && (clientSecret == null || tokenUri == null)) {
            throw new IllegalArgumentException("ordercqrs.command-service.client-id is set: client-secret and "
                    + "token-uri are needed too (COMMAND_SERVICE_CLIENT_SECRET, COMMAND_SERVICE_TOKEN_URI)");
        }
    }

    /** Whether the query service has a credential of its own for the command side. */
    public boolean hasClient() {
        return clientId != null;
    }
}

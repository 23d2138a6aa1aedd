package io.ordercqrs.query.commandside;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.stereotype.Component;

/**
 * The query service's own token for the command side, when it has a client at the issuer
 * ({@link CommandServiceSettings#clientId()}): obtained with the client-credentials grant, kept
 * and renewed shortly before it expires by Spring Security's authorized-client manager.
 */
@Component
public class ServiceCredential {

    private static final String REGISTRATION = "command-service";

    private final @Nullable AuthorizedClientServiceOAuth2AuthorizedClientManager clients;
    private final String principal;

    ServiceCredential(CommandServiceSettings settings) {
        this.principal = settings.clientId() == null ? "" : settings.clientId();
        if (!settings.hasClient()) {
            this.clients = null;
            return;
        }
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenUri(String.valueOf(settings.tokenUri()))
                .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        this.clients = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations,
                new InMemoryOAuth2AuthorizedClientService(registrations));
    }

    /** A valid token of the query service's own, or none when it has no client at the issuer. */
    public Optional<String> token() {
        if (clients == null) {
            return Optional.empty();
        }
        OAuth2AuthorizedClient client = clients.authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION).principal(principal).build());
        if (client == null) {
            throw new IllegalStateException("The issuer gave the query service no token for the command side");
        }
        return Optional.of(client.getAccessToken().getTokenValue());
    }

    /** Whether {@link #token()} gives one. */
    public boolean configured() {
        return clients != null;
    }
}

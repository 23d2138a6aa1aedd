package io.ordercqrs.testsupport;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.ordercqrs.localservers.DevIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Bearer tokens for tests, signed by a real issuer running in the test JVM whose discovery
 * document and keys the services fetch and verify, exactly as in production. Also mints the
 * tokens a service must refuse.
 */
public final class TestTokens {

    private static final DevIssuer ISSUER = DevIssuer.start(null, 0);

    private TestTokens() {
    }

    /** The issuer URI the services under test trust. */
    public static String issuerUri() {
        return ISSUER.issuerUri();
    }

    /** A customer's token: the subject is the customer id. */
    public static String customer(UUID customerId) {
        return ISSUER.mint(customerId.toString(), "customer", Duration.ofHours(1));
    }

    /** An operator's token. */
    public static String ops() {
        return ISSUER.mint("ops-" + UUID.randomUUID(), "ops", Duration.ofHours(1));
    }

    /** A token whose subject has no known role. */
    public static String withoutRole(String subject) {
        Instant now = Instant.now();
        return ISSUER.sign(ISSUER.claims(subject, List.of(), now, now.plusSeconds(3600)).build());
    }

    /** A customer's token that expired an hour ago. */
    public static String expired(UUID customerId) {
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        return ISSUER.sign(ISSUER.claims(customerId.toString(), List.of("customer"), issued,
                issued.plus(Duration.ofHours(1))).build());
    }

    /** A well-signed token that names another issuer. */
    public static String fromAnotherIssuer(UUID customerId) {
        Instant now = Instant.now();
        return ISSUER.sign(ISSUER.claims(customerId.toString(), List.of("customer"), now, now.plusSeconds(3600))
                .issuer("https://evil.example.com").build());
    }

    /** A token for another audience. */
    public static String forAnotherAudience(UUID customerId) {
        Instant now = Instant.now();
        return ISSUER.sign(ISSUER.claims(customerId.toString(), List.of("customer"), now, now.plusSeconds(3600))
                .audience("some-other-api").build());
    }

    /** A token signed by a key the issuer never published, under the issuer's key id. */
    public static String withForgedSignature(UUID customerId) {
        Instant now = Instant.now();
        JWTClaimsSet claims = ISSUER.claims(customerId.toString(), List.of("ops"), now, now.plusSeconds(3600)).build();
        return DevIssuer.sign(claims, ISSUER.impostorKey());
    }

    /** The query service's own token for the command side: the {@code history-reader} role only. */
    public static String historyReader() {
        Instant now = Instant.now();
        return ISSUER.sign(ISSUER.claims("order-query-service", List.of("history-reader"), now, now.plusSeconds(3600))
                .build());
    }

    /** A metrics scraper's token: the {@code metrics} role only. */
    public static String metrics() {
        Instant now = Instant.now();
        return ISSUER.sign(ISSUER.claims("prometheus", List.of("metrics"), now, now.plusSeconds(3600)).build());
    }

    /** A signed token from the trusted issuer without an expiry ({@code exp}), claiming the ops role. */
    public static String withoutExpiry(UUID subject) {
        Instant now = Instant.now();
        return ISSUER.sign(new JWTClaimsSet.Builder(ISSUER.claims(subject.toString(), List.of("ops"), now,
                now.plusSeconds(3600)).build()).expirationTime(null).build());
    }

    /** An OpenID Connect ID token of the trusted issuer (claim {@code typ: ID}, {@code nonce}), not an access token. */
    public static String idToken(UUID customerId) {
        Instant now = Instant.now();
        return ISSUER.sign(ISSUER.claims(customerId.toString(), List.of("customer"), now, now.plusSeconds(3600))
                .claim("typ", "ID").claim("nonce", "n-0S6_WzA2Mj").claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ")
                .build());
    }

    /** An unsigned token ({@code alg: none}) claiming the ops role. */
    public static String unsigned(UUID subject) {
        Instant now = Instant.now();
        return new PlainJWT(ISSUER.claims(subject.toString(), List.of("ops"), now, now.plusSeconds(3600)).build())
                .serialize();
    }

    /** A token whose signature was tampered with after signing (the role claim was changed). */
    public static String tampered(UUID customerId) {
        String token = customer(customerId);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String elevated = payload.replace("\"customer\"", "\"ops\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(elevated.getBytes())
                + "." + parts[2];
    }
}

package io.ordercqrs.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The development issuer's client-credentials grant, as a service (Spring Security's client) asks for it. */
class DevIssuerTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DevIssuer issuer;

    @BeforeEach
    void start() {
        issuer = DevIssuer.start(null, 0);
        issuer.registerClient("order-query-service", "s3cret:&=", "history-reader");
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void givesARegisteredClientATokenWithItsRoleForItsSecret() throws Exception {
        HttpResponse<String> basic = token(basic("order-query-service", "s3cret:&="), "grant_type=client_credentials");
        HttpResponse<String> form = token(null, "grant_type=client_credentials&client_id=order-query-service"
                + "&client_secret=s3cret%3A%26%3D");

        for (HttpResponse<String> answer : List.of(basic, form)) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"token_type\":\"Bearer\"").contains("\"expires_in\":3600");
            String token = answer.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            var claims = SignedJWT.parse(token).getJWTClaimsSet();
            assertThat(claims.getSubject()).isEqualTo("order-query-service");
            assertThat(claims.getStringListClaim(DevIssuer.ROLES_CLAIM)).containsExactly("history-reader");
            assertThat(claims.getIssuer()).isEqualTo(issuer.issuerUri());
        }
    }

    @Test
    void refusesAWrongSecretAnUnknownClientAndNoCredentials() throws Exception {
        List<HttpResponse<String>> refused = List.of(
                token(basic("order-query-service", "wrong"), "grant_type=client_credentials"),
                token(basic("someone-else", "s3cret:&="), "grant_type=client_credentials"),
                token(null, "grant_type=client_credentials"),
                token("Basic not-base64!", "grant_type=client_credentials"));

        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("invalid_client").doesNotContain("access_token");
        });
    }

    /** HTTP Basic as RFC 6749 2.3.1 has it: id and secret each form-encoded first. */
    private static String basic(String id, String secret) {
        String pair = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> token(String authorization, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer.issuerUri() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

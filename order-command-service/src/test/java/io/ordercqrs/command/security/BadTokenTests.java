package io.ordercqrs.command.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordercqrs.command.CommandApi;
import io.ordercqrs.command.CommandServiceTest;
import io.ordercqrs.testsupport.ApiClient;
import io.ordercqrs.testsupport.TestTokens;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Tokens that must not get anyone in, each decoded by the real JWT decoder: all answered 401. */
@CommandServiceTest
class BadTokenTests {

    @LocalServerPort
    int port;

    CommandApi api;
    CommandApi.Customer customer;

    @BeforeEach
    void setUp() {
        api = new CommandApi(port);
        customer = api.registerCustomer();
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired", (Function<UUID, String>) TestTokens::expired),
                Arguments.of("from another issuer", (Function<UUID, String>) TestTokens::fromAnotherIssuer),
                Arguments.of("for another audience", (Function<UUID, String>) TestTokens::forAnotherAudience),
                Arguments.of("signed with another key", (Function<UUID, String>) TestTokens::withForgedSignature),
                Arguments.of("alg none", (Function<UUID, String>) TestTokens::unsigned),
                Arguments.of("tampered after signing", (Function<UUID, String>) TestTokens::tampered),
                Arguments.of("without an expiry", (Function<UUID, String>) TestTokens::withoutExpiry),
                Arguments.of("an ID token", (Function<UUID, String>) TestTokens::idToken),
                Arguments.of("not a JWT", (Function<UUID, String>) id -> "not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refusesTheTokenWithAProblemAndABearerChallenge(String kind, Function<UUID, String> token) {
        ApiClient.Response read = api.http.get(token.apply(customer.id()), "/customers/" + customer.id());
        ApiClient.Response place = api.placeOrder(token.apply(customer.id()));

        assertThat(read.status()).isEqualTo(401);
        assertThat(read.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(read.header("Content-Type")).startsWith("application/problem+json");
        assertThat(read.text("/detail")).as("says what a client can act on, nothing of the decoder's internals")
                .isEqualTo("The bearer token is missing, invalid, expired or not an access token for this API.");
        assertThat(read.header("WWW-Authenticate")).doesNotContain("Jwt", "JWT", "signature", "Signed");
        assertThat(place.status()).isEqualTo(401);
        assertThat(api.http.get(customer.token(), "/customers/" + customer.id()).status())
                .as("while the customer's genuine token works").isEqualTo(200);
    }
}

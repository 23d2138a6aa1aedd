package io.ordercqrs.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class CachingJwtDecoderTests {

    final List<String> checked = new ArrayList<>();

    /** Stands for the signature check: tokens starting with "good" pass, each expiring as named. */
    JwtDecoder verifier(Instant expiresAt) {
        return token -> {
            checked.add(token);
            if (!token.startsWith("good")) {
                throw new BadJwtException("bad signature");
            }
            return Jwt.withTokenValue(token).header("alg", "RS256").subject("someone")
                    .issuedAt(expiresAt.minus(Duration.ofHours(1))).expiresAt(expiresAt).build();
        };
    }

    @Test
    void checksEachDistinctValidTokenOnce() {
        JwtDecoder decoder = new CachingJwtDecoder(verifier(Instant.now().plusSeconds(600)), 100, Duration.ofMinutes(5));

        decoder.decode("good-1");
        decoder.decode("good-1");
        decoder.decode("good-2");

        assertThat(checked).containsExactly("good-1", "good-2");
    }

    @Test
    void checksARefusedTokenInFullEveryTime() {
        JwtDecoder decoder = new CachingJwtDecoder(verifier(Instant.now().plusSeconds(600)), 100, Duration.ofMinutes(5));

        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(checked).containsExactly("forged", "forged");
    }

    @Test
    void refusesARememberedTokenOnceItHasExpired() {
        // Expired beyond the validator's one-minute clock skew: the wrapped decoder would have
        // refused it too, so this stands for a token that expired after it was remembered.
        JwtDecoder decoder = new CachingJwtDecoder(verifier(Instant.now().minusSeconds(120)), 100, Duration.ofMinutes(5));

        assertThatThrownBy(() -> decoder.decode("good-but-expired")).isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> decoder.decode("good-but-expired")).isInstanceOf(JwtValidationException.class);

        assertThat(checked).as("a refused token is forgotten").hasSize(2);
    }
}

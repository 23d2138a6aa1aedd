package io.ordercqrs.service.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Verifies each distinct bearer token once and remembers the result: a client sends the same token
 * string with every request, and checking its signature costs more than the rest of a small
 * request. Only tokens that passed every check are remembered (a forged or tampered token is a
 * different string, and is checked in full), for a bounded time; the time claims are checked
 * again on every use, so an expired token is refused even when remembered.
 */
final class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder decoder;
    private final Cache<String, Jwt> verified;
    private final OAuth2TokenValidator<Jwt> timestamps = new JwtTimestampValidator();

    CachingJwtDecoder(JwtDecoder decoder, long maximumTokens, Duration rememberFor) {
        this.decoder = decoder;
        this.verified = Caffeine.newBuilder().maximumSize(maximumTokens).expireAfterWrite(rememberFor).build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt jwt = verified.get(token, decoder::decode);
        OAuth2TokenValidatorResult result = timestamps.validate(jwt);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException("The token is no longer valid", result.getErrors());
        }
        return jwt;
    }
}

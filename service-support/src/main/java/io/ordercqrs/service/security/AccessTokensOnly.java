package io.ordercqrs.service.security;

import java.util.Set;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Accepts only access tokens that expire. A token without {@code exp} would be valid forever, so it
 * is refused. An OpenID Connect ID token (or any other token of the issuer not meant for calling
 * APIs) is refused too: its header type is not a JWT access token's ({@code at+jwt}, RFC 9068, or
 * plain {@code JWT}), its {@code typ} claim is not {@code Bearer} (as Keycloak marks access tokens),
 * or it carries claims only ID tokens have ({@code nonce}, {@code at_hash}, {@code c_hash}).
 */
final class AccessTokensOnly implements OAuth2TokenValidator<Jwt> {

    private static final Set<String> ACCESS_TOKEN_HEADER_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");
    private static final Set<String> ID_TOKEN_CLAIMS = Set.of("nonce", "at_hash", "c_hash");

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        if (token.getExpiresAt() == null) {
            return refuse("The token has no expiry (exp)");
        }
        Object headerType = token.getHeaders().get("typ");
        if (headerType != null && !ACCESS_TOKEN_HEADER_TYPES.contains(headerType.toString().toLowerCase())) {
            return refuse("The token's type " + headerType + " is not an access token's");
        }
        String claimType = token.getClaimAsString("typ");
        if (claimType != null && !claimType.equalsIgnoreCase("Bearer") && !claimType.equalsIgnoreCase("at+jwt")) {
            return refuse("The token is of type " + claimType + ", not an access token");
        }
        for (String claim : ID_TOKEN_CLAIMS) {
            if (token.hasClaim(claim)) {
                return refuse("The token carries " + claim + ": it is an ID token, not an access token");
            }
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult refuse(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }
}

package dev.parley.auth;

import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Issues signed access tokens whose subject is the username, whose {@code uid} claim is the user id
 * and whose {@code sid} claim is the session they belong to (revoking it ends the token at once).
 */
@Singleton
class TokenIssuer {

    /**
     * The login response of API.md, with the session's refresh token added (docs/api.md, "Sessions").
     *
     * @param refreshToken     exchanged at {@code POST /api/auth/refresh} for the next pair; used once
     * @param refreshExpiresIn seconds until the refresh token expires
     */
    @Serdeable
    record AccessToken(@JsonProperty("access_token") String accessToken,
                       @JsonProperty("token_type") String tokenType,
                       @JsonProperty("expires_in") long expiresIn,
                       String username,
                       List<String> roles,
                       @JsonProperty("refresh_token") String refreshToken,
                       @JsonProperty("refresh_expires_in") long refreshExpiresIn) {
    }

    private final TokenGenerator generator;
    private final AuthConfig config;

    TokenIssuer(TokenGenerator generator, AuthConfig config) {
        this.generator = generator;
        this.config = config;
    }

    AccessToken issue(UserAccount account, Sessions.Issued session) {
        List<String> roles = account.role().effectiveRoles();
        int ttlSeconds = Math.toIntExact(config.tokenTtl().toSeconds());
        Authentication authentication = Authentication.build(account.username(), roles,
                Map.of(Actors.USER_ID_CLAIM, account.id(), Actors.SESSION_CLAIM, session.sessionId()));
        String token = generator.generateToken(authentication, ttlSeconds)
                .orElseThrow(() -> new IllegalStateException("token generator produced no token"));
        return new AccessToken(token, "Bearer", ttlSeconds, account.username(), roles, session.refreshToken(),
                session.ttl().toSeconds());
    }
}

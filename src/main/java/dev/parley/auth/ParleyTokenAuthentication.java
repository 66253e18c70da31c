package dev.parley.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.DefaultJwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a token whose signature Micronaut verified into an {@link Authentication}, telling Parley's
 * own tokens from the identity provider's by the algorithm family, which says which key verified
 * it: HMAC only the service's secret (local tokens, with {@code uid} and {@code sid}), RSA and EC
 * only the provider's published keys. So a provider's token can never pass as a local one by
 * carrying a {@code uid} claim, and a provider's token must show the configured issuer and
 * audience and an expiry (Micronaut checks the expiry when there is one; one without is refused here).
 */
@Singleton
@Replaces(DefaultJwtAuthenticationFactory.class)
class ParleyTokenAuthentication implements JwtAuthenticationFactory {

    private final OidcConfig oidc;

    ParleyTokenAuthentication(OidcConfig oidc) {
        this.oidc = oidc;
    }

    @Override
    public Optional<Authentication> createAuthentication(JWT token) {
        if (!(token instanceof SignedJWT signed)) {
            return Optional.empty();
        }
        try {
            JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
            JWTClaimsSet claims = signed.getJWTClaimsSet();
            if (claims.getSubject() == null) {
                return Optional.empty();
            }
            if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
                return local(claims);
            }
            if (JWSAlgorithm.Family.RSA.contains(algorithm) || JWSAlgorithm.Family.EC.contains(algorithm)) {
                return external(claims);
            }
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Authentication> local(JWTClaimsSet claims) throws ParseException {
        Long userId = claims.getLongClaim(Actors.USER_ID_CLAIM);
        Long session = claims.getLongClaim(Actors.SESSION_CLAIM);
        if (userId == null || session == null) {
            return Optional.empty();
        }
        List<String> roles = claims.getStringListClaim("roles");
        return Optional.of(Authentication.build(claims.getSubject(), roles == null ? List.of() : roles,
                Map.of(Actors.USER_ID_CLAIM, userId, Actors.SESSION_CLAIM, session)));
    }

    private Optional<Authentication> external(JWTClaimsSet claims) {
        if (!oidc.enabled() || !oidc.issuer().equals(claims.getIssuer()) || claims.getExpirationTime() == null) {
            return Optional.empty();
        }
        if (oidc.audience() != null && !oidc.audience().isBlank()
                && (claims.getAudience() == null || !claims.getAudience().contains(oidc.audience()))) {
            return Optional.empty();
        }
        Map<String, Object> all = claims.getClaims();
        ExternalIdentity identity = new ExternalIdentity(claims.getIssuer(), claims.getSubject(),
                text(claim(all, oidc.usernameClaim())), text(claim(all, oidc.emailClaim())),
                role(claim(all, oidc.roleClaim())));
        return Optional.of(Authentication.build(claims.getSubject(), List.of(),
                Map.of(ExternalIdentity.ATTRIBUTE, identity)));
    }

    /** A claim by name, or by a dotted path into nested objects ({@code realm_access.roles}). */
    static Object claim(Map<String, Object> claims, String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        if (claims.containsKey(path)) {
            return claims.get(path);
        }
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static String text(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    /** The highest Parley role named by the claim (a string or a list); member when it names none. */
    static Role role(Object value) {
        Collection<?> names = value instanceof Collection<?> list ? list : value == null ? List.of() : List.of(value);
        Role highest = Role.MEMBER;
        for (Object name : names) {
            Optional<Role> role = name instanceof String text ? Role.fromWire(text) : Optional.empty();
            if (role.isPresent() && role.get().atLeast(highest)) {
                highest = role.get();
            }
        }
        return highest;
    }
}

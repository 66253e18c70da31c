package dev.parley.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Sign-in through an external OpenID Connect provider ({@code parley.oidc.*}, README "External
 * identity"). Its access tokens are accepted when {@code issuer} is set; their signatures are
 * checked against the keys at {@code micronaut.security.token.jwt.signatures.jwks.oidc.url}
 * ({@code PARLEY_OIDC_JWKS_URL}).
 *
 * @param issuer                 the {@code iss} the provider's tokens must carry; blank: external tokens are refused
 * @param audience               a value the token's {@code aud} must contain (the API's client id or identifier)
 * @param usernameClaim          the claim that names a new account (dotted for nested claims)
 * @param emailClaim             the claim holding the email
 * @param roleClaim              the claim holding the role of a new account ({@code member}, {@code moderator},
 *                               {@code admin}, or a list of them: the highest counts); blank: every new account is a member
 * @param jwksMaxAge             how long the provider's keys are used before they are fetched again
 * @param jwksMinRefreshInterval a token signed with a key not among them fetches them again at most this often
 * @param jwksTimeout            the longest a key fetch waits to connect, and then for each read
 */
@ConfigurationProperties("parley.oidc")
public record OidcConfig(@Nullable String issuer,
                         @Nullable String audience,
                         String usernameClaim,
                         String emailClaim,
                         @Nullable String roleClaim,
                         Duration jwksMaxAge,
                         Duration jwksMinRefreshInterval,
                         Duration jwksTimeout) {

    boolean enabled() {
        return issuer != null && !issuer.isBlank();
    }
}

package dev.parley.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * The level new accounts start at ({@code parley.moderation.trust.initial-level}, env
 * {@code PARLEY_MODERATION_TRUST_INITIAL_LEVEL}). The criteria of the automatic rises under the same
 * prefix are moderation's ({@code moderation/TrustLadder}): they are about posts and rejections.
 *
 * @param initialLevel 0..3; 0 by default, which changes nothing until a policy gates new accounts
 */
@ConfigurationProperties("parley.moderation.trust")
public record TrustConfig(int initialLevel) {

    public TrustLevel initial() {
        return TrustLevel.of(initialLevel).orElseThrow(() -> new ConfigurationException(
                "parley.moderation.trust.initial-level must be between 0 and 3, not " + initialLevel));
    }
}

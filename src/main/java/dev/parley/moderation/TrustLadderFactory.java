package dev.parley.moderation;

import dev.parley.auth.TrustLevel;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/**
 * Reads the rise criteria ({@code parley.moderation.trust.basic.*} and {@code .member.*}, e.g.
 * {@code PARLEY_MODERATION_TRUST_BASIC_PUBLISHED_POSTS=3}) once at start; a missing or negative
 * value stops the start rather than letting every account rise. Level 3 has no criteria: only
 * moderators give it.
 */
@Factory
class TrustLadderFactory {

    @Singleton
    TrustLadder trustLadder(Environment environment) {
        return new TrustLadder(List.of(step(environment, TrustLevel.BASIC), step(environment, TrustLevel.MEMBER)));
    }

    private static TrustLadder.Step step(Environment environment, TrustLevel level) {
        String prefix = "parley.moderation.trust." + level.wire();
        long posts = environment.getProperty(prefix + ".published-posts", Long.class)
                .orElseThrow(() -> new ConfigurationException(prefix + ".published-posts is not set"));
        Duration age = environment.getProperty(prefix + ".account-age", Duration.class)
                .orElseThrow(() -> new ConfigurationException(prefix + ".account-age is not set"));
        Duration clean = environment.getProperty(prefix + ".rejection-free", Duration.class)
                .orElseThrow(() -> new ConfigurationException(prefix + ".rejection-free is not set"));
        if (posts < 0 || age.isNegative() || clean.isNegative()) {
            throw new ConfigurationException(prefix + " needs non-negative published-posts, account-age, rejection-free");
        }
        return new TrustLadder.Step(level, posts, age, clean);
    }
}

package dev.parley.abuse;

import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The limit of each {@link Scope}: at most {@code limit} charges per {@code window}, as a burst or
 * spread out ({@code parley.limits.rate.<scope>.limit} and {@code .window} in application.yml, e.g.
 * {@code PARLEY_LIMITS_RATE_POSTS_LIMIT=50}). Read once at start; a missing or nonsensical value
 * stops the start rather than silently disabling a limit.
 */
@Singleton
class RateRules {

    /** A limit: {@code limit} charges per {@code window}. Each charge costs window / limit. */
    record Rule(int limit, Duration window) {

        Duration cost() {
            return window.dividedBy(limit);
        }

        /** How far ahead of now the bucket's theoretical arrival time may run. */
        Duration tolerance() {
            return window.minus(cost());
        }
    }

    private final Map<Scope, Rule> rules = new EnumMap<>(Scope.class);

    RateRules(Environment environment) {
        for (Scope scope : Scope.values()) {
            String prefix = "parley.limits.rate." + scope.configName();
            int limit = environment.getProperty(prefix + ".limit", Integer.class)
                    .orElseThrow(() -> new ConfigurationException(prefix + ".limit is not set"));
            Duration window = environment.getProperty(prefix + ".window", Duration.class)
                    .orElseThrow(() -> new ConfigurationException(prefix + ".window is not set"));
            if (limit < 1 || window.toMillis() < 1) {
                throw new ConfigurationException(prefix + " needs a limit of at least 1 and a positive window");
            }
            rules.put(scope, new Rule(limit, window));
        }
    }

    Rule of(Scope scope) {
        return rules.get(scope);
    }
}

package dev.parley.abuse;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * General rate-limit settings ({@code parley.limits.rate.*}); the limit and window of each scope
 * are read by {@link RateRules}.
 *
 * @param enabled         false switches every limit off (for load tests, never in production)
 * @param trustedProxies  addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-For}
 *                        is believed; empty: the socket's remote address is the client
 * @param staffExempt     moderators and admins are not limited when posting, editing, reporting or
 *                        searching (they clean up spam in bursts)
 */
@ConfigurationProperties("parley.limits.rate")
public record RateLimitConfig(boolean enabled, @Nullable List<String> trustedProxies, boolean staffExempt) {

    public List<String> trustedProxiesOrEmpty() {
        return trustedProxies == null ? List.of() : trustedProxies;
    }
}

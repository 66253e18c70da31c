package dev.parley.moderation;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} part "moderationProvider". A failing provider is DEGRADED, not DOWN: the service
 * still takes posts and applies onProviderFailure, so taking the instance out of rotation would not help.
 */
@Singleton
class ProviderHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    static final HealthStatus DEGRADED = new HealthStatus("DEGRADED", "provider failing", true, 1);

    private final ProviderHealth health;
    private final ModerationScorer scorer;

    ProviderHealthIndicator(ProviderHealth health, ModerationScorer scorer) {
        this.health = health;
        this.scorer = scorer;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        ProviderHealth.Snapshot snapshot = health.snapshot();
        healthStatus = snapshot.state() == ProviderHealth.State.OK ? HealthStatus.UP : DEGRADED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", scorer.primary());
        details.put("state", snapshot.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        details.put("since", snapshot.since().toString());
        if (snapshot.error() != null) {
            details.put("error", snapshot.error());
        }
        return details;
    }

    @Override
    protected String getName() {
        return "moderationProvider";
    }
}

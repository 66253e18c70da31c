package dev.parley.search;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /health} part "embeddingProvider": the last outcome of an embedding call in this instance.
 * A failing provider is DEGRADED, not DOWN: posts are still taken and published, their embedding
 * jobs wait and retry, so taking the instance out of rotation would not help.
 */
@Singleton
class EmbeddingHealth extends AbstractHealthIndicator<Map<String, Object>> {

    static final HealthStatus DEGRADED = new HealthStatus("DEGRADED", "provider failing", true, 1);

    private record Snapshot(String state, String error, Instant since) {
    }

    private final Clock clock;
    private volatile Snapshot snapshot;

    EmbeddingHealth(Clock clock) {
        this.clock = clock;
        this.snapshot = new Snapshot("ok", null, clock.instant());
    }

    /** Records a success; true when the provider was failing until now. */
    boolean succeeded() {
        if (!snapshot.state().equals("ok")) {
            snapshot = new Snapshot("ok", null, clock.instant());
            return true;
        }
        return false;
    }

    void failed(EmbeddingException failure) {
        String state = failure.kind() == EmbeddingException.Kind.CONFIGURATION ? "configuration-error" : "unavailable";
        Instant since = snapshot.state().equals(state) ? snapshot.since() : clock.instant();
        snapshot = new Snapshot(state, failure.kind() + ": " + failure.getMessage(), since);
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Snapshot current = snapshot;
        healthStatus = current.state().equals("ok") ? HealthStatus.UP : DEGRADED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", current.state().toLowerCase(Locale.ROOT));
        details.put("since", current.since().toString());
        if (current.error() != null) {
            details.put("error", current.error());
        }
        return details;
    }

    @Override
    protected String getName() {
        return "embeddingProvider";
    }
}

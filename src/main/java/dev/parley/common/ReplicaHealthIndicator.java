package dev.parley.common;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} part "replica", present when a replica is configured, with its lag in bytes and
 * seconds and which server serves public reads; the same lag as Prometheus gauges. Always UP: a lost
 * or lagging replica moves reads to the primary and costs no request, so it is no reason to take the
 * instance out of a load balancer.
 */
@Singleton
@Requires(beans = HealthEndpoint.class)
@Requires(property = ReplicaRouting.URL_PROPERTY)
final class ReplicaHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final ReplicaLag lag;

    ReplicaHealthIndicator(ReplicaLag lag, MeterRegistry meters) {
        this.lag = lag;
        Gauge.builder("parley.database.replica.lag.bytes", lag, l -> l.state().lagBytes())
                .description("WAL written by the primary and not yet replayed by the read replica, at the last check")
                .baseUnit("bytes").register(meters);
        Gauge.builder("parley.database.replica.lag.seconds", lag, l -> l.state().lag().toMillis() / 1000.0)
                .description("How long ago the primary was where the read replica is, at the last check")
                .baseUnit("seconds").register(meters);
        Gauge.builder("parley.database.replica.serving", lag, l -> l.state().status() == ReplicaState.Status.UP ? 1 : 0)
                .description("1 while the read replica may serve public reads, 0 while they go to the primary")
                .register(meters);
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        ReplicaState state = lag.state();
        healthStatus = HealthStatus.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.status().name().toLowerCase(java.util.Locale.ROOT));
        details.put("publicReads", state.status() == ReplicaState.Status.UP ? "replica" : "primary");
        details.put("lagBytes", state.lagBytes());
        details.put("lagSeconds", state.lag().toMillis() / 1000.0);
        details.put("replayed", state.replayed().toString());
        if (state.checkedAt() != null) {
            details.put("checkedAt", state.checkedAt().toString());
        }
        if (state.problem() != null) {
            details.put("problem", state.problem());
        }
        return details;
    }

    @Override
    protected String getName() {
        return "replica";
    }
}

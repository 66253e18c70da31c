package dev.parley.pipeline;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} part "jobWorkers": DOWN when this instance's dispatcher has died. */
@Singleton
@Requires(beans = InstanceWorkers.class)
class WorkersHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final InstanceWorkers workers;

    WorkersHealthIndicator(InstanceWorkers workers) {
        this.workers = workers;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        WorkerPool pool = workers.pool();
        healthStatus = pool.isRunning() ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("worker", pool.workerId());
        details.put("running", pool.isRunning());
        // Without notifications the workers still poll, only with more delay: not a failure.
        details.put("notifications", pool.isListening() ? "listening" : "polling");
        return details;
    }

    @Override
    protected String getName() {
        return "jobWorkers";
    }
}

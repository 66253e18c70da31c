package dev.parley.pipeline;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Map;

/**
 * Pipeline settings ({@code parley.pipeline.*}).
 *
 * @param workersEnabled   whether this instance runs workers (every instance does by default)
 * @param lease            how long a claim lasts without a heartbeat before another worker may take the job
 * @param pollInterval     fallback polling when no notification arrives
 * @param batchSize        most jobs claimed in one statement; above 1, succeeded jobs are also marked done
 *                         many per statement, at 1 each on its own
 * @param maxAttempts      default attempts before a job is dead
 * @param backoffBase      delay after the first failure; doubles with each attempt
 * @param backoffMax       cap of the delay
 * @param retention        how long succeeded jobs are kept before they are purged
 * @param shutdownGrace    how long shutdown waits for running jobs before releasing them
 * @param defaultConcurrency jobs of one kind that run at once in this instance, unless {@code concurrency} says otherwise
 * @param concurrency      per-kind overrides of the concurrency
 */
@ConfigurationProperties("parley.pipeline")
public record PipelineConfig(@Bindable(defaultValue = "true") boolean workersEnabled,
                             Duration lease,
                             Duration pollInterval,
                             int batchSize,
                             int maxAttempts,
                             Duration backoffBase,
                             Duration backoffMax,
                             Duration retention,
                             Duration shutdownGrace,
                             int defaultConcurrency,
                             Map<String, Integer> concurrency) {

    public int concurrencyOf(String kind) {
        return concurrency == null ? defaultConcurrency : concurrency.getOrDefault(kind, defaultConcurrency);
    }
}

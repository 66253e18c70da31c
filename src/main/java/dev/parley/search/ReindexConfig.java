package dev.parley.search;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Reindex settings ({@code parley.reindex.*}).
 *
 * @param batchSize        posts per batch (and per checkpoint)
 * @param progressInterval how often running runs log their progress
 * @param sweepInterval    how often published posts without a vector of the active model are queued
 * @param slice            how long one job of an unthrottled run keeps embedding batches before it
 *                         queues the next job (keeps a worker's shutdown and a takeover prompt)
 */
@ConfigurationProperties("parley.reindex")
record ReindexConfig(@Bindable(defaultValue = "64") int batchSize,
                     @Bindable(defaultValue = "30s") Duration progressInterval,
                     @Bindable(defaultValue = "1h") Duration sweepInterval,
                     @Bindable(defaultValue = "10s") Duration slice) {
}

package dev.parley.common;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The optional read replica ({@code parley.database.replica.*}); the replica itself is the data source
 * {@code datasources.replica} (README "Read replicas"). Without it every read goes to the primary.
 *
 * @param maxLag        a replica further behind the primary than this serves no reads until it catches up
 * @param checkInterval how often each instance measures the replica's lag (and notices it is back)
 */
@ConfigurationProperties("parley.database.replica")
public record ReplicaSettings(@Bindable(defaultValue = "5s") Duration maxLag,
                              @Bindable(defaultValue = "1s") Duration checkInterval) {
}

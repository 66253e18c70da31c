package dev.parley.common;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * Health endpoint settings ({@code parley.health.*} in application.yml).
 *
 * @param deadlockCheckInterval how old the liveness check's answer on deadlocked threads may be
 */
@ConfigurationProperties("parley.health")
public record HealthConfig(Duration deadlockCheckInterval) {
}

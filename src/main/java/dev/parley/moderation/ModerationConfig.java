package dev.parley.moderation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Moderation settings ({@code parley.moderation.*}).
 *
 * @param provider      "openai" or "rules"; blank picks openai when an API key is set, else rules
 * @param maxAttempts   provider attempts per post before the policy's onProviderFailure applies
 * @param rescanInterval how often posts published unmoderated are sent to the provider again
 */
@ConfigurationProperties("parley.moderation")
public record ModerationConfig(@Nullable String provider, int maxAttempts, Duration rescanInterval) {
}

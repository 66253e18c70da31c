package dev.parley.moderation;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * Username screening at registration ({@code parley.moderation.username-screen.*}).
 *
 * @param timeout how long registration waits for the provider before the rules alone decide: a
 *                person is waiting, unlike a post's moderation job
 */
@ConfigurationProperties("parley.moderation.username-screen")
public record UsernameScreenConfig(Duration timeout) {
}

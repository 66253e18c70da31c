package dev.parley.forum;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Content limits ({@code parley.limits.*}); the request-size limit is Micronaut's own
 * {@code micronaut.server.max-request-size}.
 */
@ConfigurationProperties("parley.limits")
record ForumLimits(int titleMin, int titleMax, int bodyMax) {
}

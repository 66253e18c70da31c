package dev.parley.pipeline;

import java.time.Instant;

/**
 * A claimed job as its handler sees it, its payload already decoded.
 *
 * @param attempt 1 for the first run, 2 for the first retry, ...
 */
public record Job<P>(long id, String kind, P payload, int attempt, int maxAttempts, Instant createdAt) {
}

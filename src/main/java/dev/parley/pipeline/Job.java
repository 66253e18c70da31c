package dev.parley.pipeline;

import java.time.Instant;
import java.util.UUID;

/**
 * A claimed job as its handler sees it, its payload already decoded.
 *
 * @param attempt    1 for the first run, 2 for the first retry, ...
 * @param leaseToken the token of the claim this run holds; a write outside the jobs table that must not
 *                   happen once the lease is lost puts {@code job_lease_held(:jobId, :leaseToken)} (V21)
 *                   in its WHERE clause
 */
public record Job<P>(long id, String kind, P payload, int attempt, int maxAttempts, Instant createdAt,
                     UUID leaseToken) {
}

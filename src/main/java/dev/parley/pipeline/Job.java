package dev.parley.pipeline;

import java.time.Instant;
import java.util.UUID;

/**
 * A claimed job as its handler sees it.
 *
 * @param payload    the JSON the job was enqueued with
 * @param attempt    1 for the first run, 2 for the first retry, ...
 * @param leaseToken fences this claim: only its holder can complete or fail the job
 */
public record Job(long id, String kind, String payload, int attempt, int maxAttempts, Instant createdAt,
                  UUID leaseToken) {
}

package dev.parley.pipeline;

import java.time.Instant;
import java.util.UUID;

/**
 * A job row as a claim returns it, payload still JSON: the pipeline decodes it once, for the
 * handler of its kind.
 *
 * @param payload    the JSON the job was enqueued with
 * @param attempts   1 for the first run, 2 for the first retry, ...
 * @param leaseToken fences this claim: only its holder can complete or fail the job
 */
public record ClaimedJob(long id, String kind, String payload, int attempts, int maxAttempts, Instant createdAt,
                  UUID leaseToken) {

    static ClaimedJob of(JobRow row) {
        return new ClaimedJob(row.id(), row.kind(), row.payload(), row.attempts(), row.maxAttempts(), row.createdAt(),
                row.leaseToken());
    }

    <P> Job<P> with(P decoded) {
        return new Job<>(id, kind, decoded, attempts, maxAttempts, createdAt, leaseToken);
    }
}

package dev.parley.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * A job to enqueue: a kind that some {@link JobHandler} handles, and its payload record, stored as JSON.
 *
 * @param uniqueKey   when set, the job is not enqueued while a job of the same kind and key waits to start
 * @param delay       how long to wait before the job may run
 * @param maxAttempts attempts before the job is dead; null for the configured default
 */
public record JobRequest<P>(JobKind<P> kind, P payload, String uniqueKey, Duration delay, Integer maxAttempts) {

    public JobRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        delay = delay == null ? Duration.ZERO : delay;
    }

    public static <P> JobRequest<P> of(JobKind<P> kind, P payload) {
        return new JobRequest<>(kind, payload, null, Duration.ZERO, null);
    }

    public JobRequest<P> uniqueBy(String key) {
        return new JobRequest<>(kind, payload, key, delay, maxAttempts);
    }

    public JobRequest<P> after(Duration wait) {
        return new JobRequest<>(kind, payload, uniqueKey, wait, maxAttempts);
    }

    public JobRequest<P> withMaxAttempts(int attempts) {
        return new JobRequest<>(kind, payload, uniqueKey, delay, attempts);
    }
}

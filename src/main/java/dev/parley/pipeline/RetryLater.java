package dev.parley.pipeline;

import java.time.Duration;

/**
 * Thrown by a handler that cannot proceed yet and knows when to try again (a provider's
 * {@code Retry-After}). It does not use up an attempt: being told to wait is not a failure of the job.
 */
public class RetryLater extends RuntimeException {

    private final Duration delay;

    public RetryLater(Duration delay, String reason) {
        super(reason, null, false, false);
        this.delay = delay;
    }

    public Duration delay() {
        return delay;
    }
}

package dev.parley.pipeline;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": the delay after attempt n is half of
 * {@code min(max, base * 2^(n-1))} plus a random share of the other half, so retries of many jobs
 * that failed together spread out instead of hitting a recovering provider at the same instant.
 */
final class Backoff {

    private final Duration base;
    private final Duration max;

    Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    Duration delayAfter(int attempt, RandomGenerator random) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }

    /** The un-jittered delay: {@code min(max, base * 2^(attempt-1))}. */
    long ceilingMillis(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 40));
        long millis = base.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Math.min(millis, max.toMillis());
    }
}

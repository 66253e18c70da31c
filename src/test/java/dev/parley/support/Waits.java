package dev.parley.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for what a test cannot be told about directly (a background job, another
 * process): every wait has a deadline and fails saying what it waited for, never by hanging.
 */
public final class Waits {

    /** Long enough for a loaded two-core machine; a wait that needs more is waiting for a bug. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 20;

    private Waits() {
    }

    /** Polls {@code condition} until it holds, failing after {@link #PATIENCE}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, PATIENCE, condition);
    }

    public static void until(String what, Duration patience, BooleanSupplier condition) {
        poll(patience, () -> condition.getAsBoolean() ? Boolean.TRUE : null, () -> what);
    }

    /**
     * Polls {@code attempt} until it returns a value, and returns it; after {@code patience} fails
     * with {@code failure}'s text, read only then so that it can describe what is still missing.
     */
    public static <T> T poll(Duration patience, Supplier<T> attempt, Supplier<String> failure) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            T value = attempt.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + patience.toSeconds() + " s waiting for " + failure.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                // JUnit's timeout interrupts a test that overran it: end the wait at once.
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + failure.get(), e);
            }
        }
    }
}

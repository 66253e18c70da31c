package dev.parley.common;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/** The one source of "now" and of randomness. Tests replace them with a settable clock and a seeded random. */
@Factory
class ClockFactory {

    /** Ticks in microseconds, the precision of PostgreSQL's timestamptz, so values round-trip exactly. */
    @Singleton
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    /** Thread-safe: shared by every worker thread (backoff jitter). */
    @Singleton
    java.util.random.RandomGenerator random() {
        return new java.util.Random();
    }
}

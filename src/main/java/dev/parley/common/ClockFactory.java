package dev.parley.common;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/** The one source of "now". Tests replace it with a settable clock. */
@Factory
class ClockFactory {

    /** Ticks in microseconds, the precision of PostgreSQL's timestamptz, so values round-trip exactly. */
    @Singleton
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}

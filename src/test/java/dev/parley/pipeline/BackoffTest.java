package dev.parley.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));

    @Test
    void theCeilingDoublesPerAttemptUpToTheMaximum() {
        assertEquals(2_000, backoff.ceilingMillis(1));
        assertEquals(4_000, backoff.ceilingMillis(2));
        assertEquals(8_000, backoff.ceilingMillis(3));
        assertEquals(600_000, backoff.ceilingMillis(20));
        assertEquals(600_000, backoff.ceilingMillis(Integer.MAX_VALUE));
    }

    @Test
    void theJitteredDelayStaysBetweenHalfTheCeilingAndTheCeiling() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = backoff.ceilingMillis(attempt);
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delayAfter(attempt, random).toMillis();
                assertTrue(delay >= ceiling / 2 && delay <= ceiling, attempt + ": " + delay);
            }
        }
    }

    @Test
    void jitterSpreadsRetriesOfJobsThatFailedTogether() {
        Random random = new Random(7);
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToLong(i -> backoff.delayAfter(3, random).toMillis()).distinct().count();
        assertTrue(distinct > 50, "only " + distinct + " distinct delays");
    }
}

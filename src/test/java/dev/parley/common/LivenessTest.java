package dev.parley.common;

import dev.parley.support.ApiTest;
import dev.parley.support.SettableClock;
import dev.parley.support.Waits;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health/liveness} finds deadlocked threads without stopping the JVM on every probe: the answer
 * is at most {@code parley.health.deadlock-check-interval} old.
 */
@MicronautTest(transactional = false)
@Property(name = "parley.test.settable-clock", value = "true")
@Property(name = "parley.health.deadlock-check-interval", value = "10s")
class LivenessTest extends ApiTest {

    @Inject
    SettableClock clock;

    @Test
    void aDeadlockTurnsLivenessDownAtTheNextCheckNotAtEveryProbe() throws InterruptedException {
        clock.advance(Duration.ofSeconds(10));
        assertEquals("UP", api.get("/health/liveness", null).expect(200).text("status"));

        // Two threads taking two locks in opposite orders; interruptible, so the test can end them.
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread first = deadlocking("deadlock-first", a, b, bothHoldOne);
        Thread second = deadlocking("deadlock-second", b, a, bothHoldOne);
        try {
            Waits.until("both threads blocked on the other's lock",
                    () -> a.hasQueuedThread(second) && b.hasQueuedThread(first));

            // Within the interval the earlier answer stands: the probe did not ask the JVM again.
            clock.advance(Duration.ofSeconds(9));
            assertEquals("UP", api.get("/health/liveness", null).expect(200).text("status"));

            clock.advance(Duration.ofSeconds(1));
            assertEquals("DOWN", api.get("/health/liveness", null).expect(503).text("status"));
            String detailed = api.get("/health/liveness", api.adminToken()).expect(503).body();
            assertTrue(detailed.contains("deadlock-first") && detailed.contains("deadlock-second"), detailed);
        } finally {
            first.interrupt();
            second.interrupt();
            first.join();
            second.join();
        }
        clock.advance(Duration.ofSeconds(10));
        assertEquals("UP", api.get("/health/liveness", null).expect(200).text("status"));
    }

    private static Thread deadlocking(String name, ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHoldOne) {
        Thread thread = new Thread(() -> {
            mine.lock();
            try {
                bothHoldOne.countDown();
                bothHoldOne.await();
                theirs.lockInterruptibly();
                theirs.unlock();
            } catch (InterruptedException ended) {
                // the test is over
            } finally {
                mine.unlock();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

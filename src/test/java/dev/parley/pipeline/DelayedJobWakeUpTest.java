package dev.parley.pipeline;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.Waits;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A running dispatcher wakes when a delayed job becomes due, not at its next poll: the poll interval
 * here is far longer than the test's patience, so a job runs only if that wake-up happens. The
 * system clock is used because the wake-up is a real-time wait for a due time read from that clock.
 */
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
@Property(name = "parley.pipeline.poll-interval", value = "1h")
class DelayedJobWakeUpTest extends ApiTest {

    @Inject
    JobQueue queue;
    @Inject
    WorkerPools pools;
    @Inject
    Clock clock;
    @Inject
    TransactionOperations<Connection> tx;

    @Test
    void aJobQueuedForLaterRunsWhenDueThoughItsNotificationCameEarly() throws Exception {
        JobKind<PipelineTest.Payload> kind = JobKind.of(Api.unique("later"), PipelineTest.Payload.class);
        CompletableFuture<Instant> ran = new CompletableFuture<>();
        try (WorkerPool pool = pools.create("waking", PipelineTest.handler(kind, job -> ran.complete(clock.instant())))) {
            pool.start();
            Waits.until("the pool listening for jobs", pool::isListening);
            // Queued like a throttled reindex run's next batch: its NOTIFY wakes the dispatcher before it is due.
            long id = tx.executeWrite(status -> queue.enqueue(
                    JobRequest.of(kind, new PipelineTest.Payload(1)).after(Duration.ofMillis(300)))).orElseThrow();
            Instant ranAt = ran.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertFalse(ranAt.isBefore(runAt(id)), "ran at " + ranAt + ", due at " + runAt(id));
        }
    }

    @Test
    void aJobToldToRetryLaterRunsAgainWhenDue() throws Exception {
        JobKind<PipelineTest.Payload> kind = JobKind.of(Api.unique("retry"), PipelineTest.Payload.class);
        AtomicBoolean limited = new AtomicBoolean(true);
        CompletableFuture<Instant> ran = new CompletableFuture<>();
        try (WorkerPool pool = pools.create("retrying", PipelineTest.handler(kind, job -> {
            if (limited.getAndSet(false)) {
                // Rescheduled by an UPDATE, which notifies nobody: the dispatcher must find the due time itself.
                throw new RetryLater(Duration.ofMillis(300), "429 Too Many Requests");
            }
            ran.complete(clock.instant());
        }))) {
            pool.start();
            Waits.until("the pool listening for jobs", pool::isListening);
            tx.executeWrite(status -> queue.enqueue(JobRequest.of(kind, new PipelineTest.Payload(1))));
            ran.get(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private Instant runAt(long id) {
        return ((Timestamp) db.value("SELECT run_at FROM jobs WHERE id = ?", id)).toInstant();
    }
}

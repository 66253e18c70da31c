package dev.parley.pipeline;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.SettableClock;
import io.micronaut.context.annotation.Property;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.exceptions.IllegalTransactionStateException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline driven by hand: no background workers, time moved with a settable clock. */
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
@Property(name = "parley.test.settable-clock", value = "true")
@Property(name = "parley.pipeline.lease", value = "30s")
@Property(name = "parley.pipeline.backoff-base", value = "2s")
class PipelineTest extends ApiTest {

    @Inject
    JobQueue queue;
    @Inject
    JobStore store;
    @Inject
    WorkerPools pools;
    @Inject
    SettableClock clock;
    @Inject
    TransactionOperations<Connection> tx;

    EffectTables effects;
    JobKind<Payload> kind;

    @BeforeEach
    void setUp() {
        effects = new EffectTables(tx);
        kind = JobKind.of(Api.unique("kind"), Payload.class);
    }

    @Test
    void aJobEnqueuedInARolledBackTransactionNeverRuns() {
        WorkerPool pool = pools.create("solo", handler("solo", kind.name()));
        assertThrows(IllegalStateException.class, () -> tx.executeWrite(status -> {
            queue.enqueue(JobRequest.of(kind, new Payload(1)));
            throw new IllegalStateException("the caller's write failed");
        }));
        assertEquals(0, pool.runDue());
        assertEquals(0, db.count("SELECT count(*) FROM jobs WHERE kind = ?", kind.name()));
        assertEquals(0, effects.counter(kind.name()));
    }

    @Test
    void enqueueingOutsideATransactionIsRefused() {
        assertThrows(IllegalTransactionStateException.class, () -> queue.enqueue(JobRequest.of(kind, new Payload(0))));
        assertEquals(0, db.count("SELECT count(*) FROM jobs WHERE kind = ?", kind.name()));
    }

    @Test
    void aCommittedJobRunsOnceAndIsMarkedSucceeded() {
        WorkerPool pool = pools.create("solo", handler("solo", kind.name()));
        long id = enqueue(JobRequest.of(kind, new Payload(1))).orElseThrow();
        assertEquals(1, pool.runDue());
        assertEquals(0, pool.runDue());
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE id = ?", id));
        assertEquals(1, effects.counter(kind.name()));
    }

    @Test
    void aDelayedJobWaitsForItsTime() {
        WorkerPool pool = pools.create("solo", handler("solo", kind.name()));
        enqueue(JobRequest.of(kind, new Payload(0)).after(Duration.ofMinutes(5)));
        assertEquals(0, pool.runDue());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, pool.runDue());
    }

    @Test
    void aFailingHandlerIsRetriedWithGrowingDelaysAndEndsDeadWithItsLastError() {
        List<Integer> attempts = new ArrayList<>();
        JobHandler<Payload> failing = handler(kind, job -> {
            attempts.add(job.attempt());
            throw new IllegalStateException("provider said no to attempt " + job.attempt());
        });
        WorkerPool pool = pools.create("solo", failing);
        long id = enqueue(JobRequest.of(kind, new Payload(0)).withMaxAttempts(4)).orElseThrow();

        long previousCeiling = 0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(1, pool.runDue());
            assertEquals("queued", db.value("SELECT state FROM jobs WHERE id = ?", id));
            long delay = Duration.between(clock.instant(), runAt(id)).toMillis();
            long ceiling = 2_000L << (attempt - 1);
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, "attempt " + attempt + " waits " + delay + " ms");
            assertTrue(ceiling > previousCeiling);
            previousCeiling = ceiling;

            clock.advance(Duration.ofMillis(delay - 1));
            assertEquals(0, pool.runDue(), "not before its time");
            clock.advance(Duration.ofMillis(1));
        }
        assertEquals(1, pool.runDue());
        assertEquals(List.of(1, 2, 3, 4), attempts);
        assertEquals("dead", db.value("SELECT state FROM jobs WHERE id = ?", id));
        assertTrue(((String) db.value("SELECT last_error FROM jobs WHERE id = ?", id)).contains("attempt 4"));
        clock.advance(Duration.ofDays(1));
        assertEquals(0, pool.runDue(), "dead jobs stay dead");
    }

    @Test
    void retryLaterHonoursTheRequestedDelayWithoutUsingAnAttempt() {
        AtomicBoolean limited = new AtomicBoolean(true);
        JobHandler<Payload> rateLimited = handler(kind, job -> {
            if (limited.getAndSet(false)) {
                throw new RetryLater(Duration.ofSeconds(37), "429 Too Many Requests");
            }
            effects.run(job, "solo", kind.name());
        });
        WorkerPool pool = pools.create("solo", rateLimited);
        long id = enqueue(JobRequest.of(kind, new Payload(0)).withMaxAttempts(1)).orElseThrow();
        assertEquals(1, pool.runDue());
        assertEquals(Duration.ofSeconds(37), Duration.between(clock.instant(), runAt(id)));
        assertEquals(0, db.count("SELECT attempts FROM jobs WHERE id = ?", id));
        clock.advance(Duration.ofSeconds(37));
        assertEquals(1, pool.runDue());
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE id = ?", id));
    }

    @Test
    void aPermanentFailureIsDeadAtOnce() {
        WorkerPool pool = pools.create("solo", handler(kind, job -> {
            throw new PermanentFailure("payload is not a post");
        }));
        long id = enqueue(JobRequest.of(kind, new Payload(0))).orElseThrow();
        assertEquals(1, pool.runDue());
        assertEquals("dead", db.value("SELECT state FROM jobs WHERE id = ?", id));
    }

    @Test
    void aJobWhosePayloadDoesNotDecodeIsDeadAtOnceWithItsErrorAndTheWorkerGoesOn() {
        WorkerPool pool = pools.create("solo", handler("solo", kind.name()));
        // What an older version could have queued under this kind: a shape the payload record cannot read.
        long undecodable = enqueue(JobRequest.of(JobKind.of(kind.name(), OldShape.class), new OldShape("seven"))
                .withMaxAttempts(5)).orElseThrow();
        long next = enqueue(JobRequest.of(kind, new Payload(8))).orElseThrow();

        assertEquals(2, pool.runDue());
        assertEquals("dead", db.value("SELECT state FROM jobs WHERE id = ?", undecodable));
        assertEquals(1, db.count("SELECT attempts FROM jobs WHERE id = ?", undecodable), "not retried");
        String error = (String) db.value("SELECT last_error FROM jobs WHERE id = ?", undecodable);
        assertTrue(error.startsWith("PermanentFailure: payload does not decode as Payload"), error);
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE id = ?", next));
        assertEquals(List.of(next), db.column("SELECT job_id FROM test_job_runs WHERE job_id IN (?, ?)",
                undecodable, next));
    }

    @Test
    void aBatchHandlerGetsTheJobsThatDecodeWhenOneOfTheBatchDoesNot() {
        List<Integer> handed = new ArrayList<>();
        WorkerPool pool = pools.create("solo", new BatchJobHandler<Payload>() {
            @Override
            public JobKind<Payload> kind() {
                return kind;
            }

            @Override
            public int maxBatch() {
                return 10;
            }

            @Override
            public Map<Long, Exception> handleBatch(List<Job<Payload>> jobs) {
                jobs.forEach(job -> handed.add(job.payload().n()));
                return Map.of();
            }
        });
        long first = enqueue(JobRequest.of(kind, new Payload(1))).orElseThrow();
        long undecodable = enqueue(JobRequest.of(JobKind.of(kind.name(), OldShape.class), new OldShape("two")))
                .orElseThrow();
        long third = enqueue(JobRequest.of(kind, new Payload(3))).orElseThrow();

        assertEquals(3, pool.runDue());
        assertEquals(List.of(1, 3), handed.stream().sorted().toList(), "claims come back in no set order");
        assertEquals("dead", db.value("SELECT state FROM jobs WHERE id = ?", undecodable));
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE id = ?", first));
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE id = ?", third));
    }

    @Test
    void aDeadJobRetriedThroughTheAdminEndpointRuns() {
        AtomicBoolean broken = new AtomicBoolean(true);
        WorkerPool pool = pools.create("solo", handler(kind, job -> {
            if (broken.get()) {
                throw new IllegalStateException("still broken");
            }
            effects.run(job, "solo", kind.name());
        }));
        long id = enqueue(JobRequest.of(kind, new Payload(0)).withMaxAttempts(1)).orElseThrow();
        assertEquals(1, pool.runDue());
        assertEquals("dead", db.value("SELECT state FROM jobs WHERE id = ?", id));

        var status = api.get("/api/admin/pipeline", api.adminToken()).expect(200).json();
        assertEquals(1, status.get("jobs").get(kind.name()).get("dead").getLongValue());

        api.post("/api/admin/pipeline/dead/" + id + "/retry", api.register("member").token(), Map.of())
                .expectProblem(403);
        api.post("/api/admin/pipeline/dead/999999999/retry", api.adminToken(), Map.of()).expectProblem(404);
        broken.set(false);
        api.post("/api/admin/pipeline/dead/" + id + "/retry", api.adminToken(), Map.of()).expect(202);
        api.post("/api/admin/pipeline/dead/" + id + "/retry", api.adminToken(), Map.of()).expectProblem(404);
        assertEquals(1, pool.runDue());
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE id = ?", id));
        assertEquals(1, effects.counter(kind.name()));
    }

    @Test
    void theAdminSeesQueueDepthPerKindAndTheOldestQueuedAge() {
        enqueue(JobRequest.of(kind, new Payload(0)));
        enqueue(JobRequest.of(kind, new Payload(0)));
        clock.advance(Duration.ofSeconds(90));
        var status = api.get("/api/admin/pipeline", api.adminToken()).expect(200).json();
        var counts = status.get("jobs").get(kind.name());
        assertEquals(2, counts.get("queued").getLongValue());
        assertEquals(0, counts.get("running").getLongValue());
        assertEquals(0, counts.get("retrying").getLongValue());
        assertTrue(status.get("oldestQueuedAgeMs").getLongValue() >= 90_000);
        api.get("/api/admin/pipeline", api.withRole("mod", "moderator").token()).expectProblem(403);
        api.get("/api/admin/pipeline", null).expectProblem(401);
    }

    @Test
    void aJobWhoseWorkerVanishedMidLeaseIsRunAgainByAnotherWorker() {
        WorkerPool vanished = pools.create("vanished", handler("vanished", kind.name()));
        WorkerPool survivor = pools.create("survivor", handler("survivor", kind.name()));
        long id = enqueue(JobRequest.of(kind, new Payload(0))).orElseThrow();
        ClaimedJob held = vanished.claimOnly(kind, 10).get(0);
        assertEquals(id, held.id());

        assertEquals(0, survivor.runDue(), "the lease protects the job while it is valid");
        clock.advance(Duration.ofSeconds(29));
        assertEquals(0, survivor.recoverExpiredLeases());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, survivor.recoverExpiredLeases());
        assertEquals(1, survivor.runDue());
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE id = ?", id));
        assertEquals(List.of("survivor"), db.column("SELECT runner FROM test_job_runs WHERE job_id = ?", id));

        // The vanished worker comes back late: its claim no longer holds the job.
        assertFalse(store.complete(held, clock.instant()));
        assertFalse(store.reschedule(held, clock.instant(), "late", false));
    }

    @Test
    void aUniqueKeyKeepsOneWaitingJobButAllowsANewOneOnceItStarted() {
        WorkerPool pool = pools.create("solo", handler("solo", kind.name()));
        Optional<Long> first = enqueue(JobRequest.of(kind, new Payload(1)).uniqueBy("post-7"));
        assertTrue(first.isPresent());
        assertTrue(enqueue(JobRequest.of(kind, new Payload(2)).uniqueBy("post-7")).isEmpty());
        assertTrue(enqueue(JobRequest.of(kind, new Payload(3)).uniqueBy("post-8")).isPresent());

        pool.claimOnly(kind, 1);
        Optional<Long> afterStart = enqueue(JobRequest.of(kind, new Payload(4)).uniqueBy("post-7"));
        assertTrue(afterStart.isPresent(), "the running job may have read old data: a new one must be queued");
        assertNotEquals(first, afterStart);
    }

    @Test
    void closingAPoolHandsItsJobsBackWithoutChargingAnAttempt() {
        WorkerPool pool = pools.create("closing", handler("closing", kind.name()));
        pool.start();
        pool.close();
        long id = enqueue(JobRequest.of(kind, new Payload(0))).orElseThrow();
        WorkerPool holder = pools.create("holder", handler("holder", kind.name()));
        holder.claimOnly(kind, 1);
        assertEquals(1, store.release("holder", clock.instant()));
        assertEquals("queued", db.value("SELECT state FROM jobs WHERE id = ?", id));
        assertEquals(0, db.count("SELECT attempts FROM jobs WHERE id = ?", id));
    }

    private Optional<Long> enqueue(JobRequest<?> request) {
        return tx.executeWrite(status -> queue.enqueue(request));
    }

    private Instant runAt(long id) {
        return ((Timestamp) db.value("SELECT run_at FROM jobs WHERE id = ?", id)).toInstant();
    }

    private JobHandler<Payload> handler(String runner, String tag) {
        return handler(kind, job -> effects.run(job, runner, tag));
    }

    /** The payload of the test jobs. */
    @Serdeable
    record Payload(int n) {
    }

    /** A payload shape that {@link Payload} cannot read: {@code n} as text. */
    @Serdeable
    record OldShape(String n) {
    }

    interface Body<P> {
        void run(Job<P> job) throws Exception;
    }

    static <P> JobHandler<P> handler(JobKind<P> kind, Body<P> body) {
        return new JobHandler<>() {
            @Override
            public JobKind<P> kind() {
                return kind;
            }

            @Override
            public void handle(Job<P> job) throws Exception {
                body.run(job);
            }
        };
    }
}

package dev.parley.pipeline;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.SettableClock;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Marking succeeded jobs done many per statement, with the writes driven by hand. */
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
@Property(name = "parley.test.settable-clock", value = "true")
@Property(name = "parley.pipeline.lease", value = "30s")
class CompletionsTest extends ApiTest {

    @Inject
    JobQueue queue;
    @Inject
    JobStore store;
    @Inject
    JobRepository repository;
    @Inject
    WorkerPools pools;
    @Inject
    PipelineMetrics metrics;
    @Inject
    SettableClock clock;
    @Inject
    TransactionOperations<Connection> tx;

    JobKind<PipelineTest.Payload> kind;

    @BeforeEach
    void setUp() {
        kind = JobKind.of(Api.unique("done"), PipelineTest.Payload.class);
    }

    @Test
    void jobsThatFinishWhileAWriteIsUnderWayAreMarkedDoneTogetherByThatWorker() throws Exception {
        List<ClaimedJob> claimed = claim(3);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        List<Integer> statements = Collections.synchronizedList(new ArrayList<>());
        JobStore firstWriteWaits = new JobStore(repository) {
            @Override
            Set<Long> completeAll(Collection<ClaimedJob> jobs, Instant now) {
                statements.add(jobs.size());
                if (statements.size() == 1) {
                    writing.countDown();
                    awaitQuietly(proceed);
                }
                return store.completeAll(jobs, now);
            }
        };
        Completions completions = new Completions(firstWriteWaits, metrics, clock, true);
        List<Long> settled = Collections.synchronizedList(new ArrayList<>());

        Thread first = new Thread(() -> completions.succeeded(List.of(claimed.get(0)), job -> settled.add(job.id())));
        first.start();
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        completions.succeeded(List.of(claimed.get(1)), job -> settled.add(job.id()));
        completions.succeeded(List.of(claimed.get(2)), job -> settled.add(job.id()));
        assertEquals(List.of(), settled, "queued behind the write under way; this thread went on");
        assertEquals("running", state(claimed.get(1)));

        proceed.countDown();
        first.join(10_000);
        assertEquals(List.of(1, 2), statements, "the two that waited went in one statement");
        assertEquals(claimed.stream().map(ClaimedJob::id).sorted().toList(), settled.stream().sorted().toList(),
                "each job settled once");
        for (ClaimedJob job : claimed) {
            assertEquals("succeeded", state(job));
        }
    }

    @Test
    void aStatementMarksDoneOnlyTheJobsWhoseClaimsStillHoldThem() {
        List<ClaimedJob> stale = claim(2);
        clock.advance(Duration.ofSeconds(31));
        store.recoverExpired(clock.instant());
        stale.forEach(job -> assertEquals("queued", state(job)));
        ClaimedJob retaken = pools.create("successor").claimOnly(kind, 1).get(0);
        ClaimedJob stillQueued = stale.stream().filter(job -> job.id() != retaken.id()).findFirst().orElseThrow();

        List<ClaimedJob> mixed = new ArrayList<>(stale);
        mixed.add(retaken);
        assertEquals(Set.of(retaken.id()), store.completeAll(mixed, clock.instant()));
        assertEquals("succeeded", state(retaken));
        assertEquals("queued", state(stillQueued), "a late worker cannot finish a job it lost");
    }

    @Test
    void whenTheDatabaseRefusesTheWriteEveryJobIsStillLetGoSoItsLeaseRunsOut() {
        List<ClaimedJob> claimed = claim(2);
        JobStore unreachable = new JobStore(repository) {
            @Override
            Set<Long> completeAll(Collection<ClaimedJob> jobs, Instant now) {
                throw new IllegalStateException("connection refused");
            }
        };
        List<Long> settled = new ArrayList<>();
        new Completions(unreachable, metrics, clock, true).succeeded(claimed, job -> settled.add(job.id()));
        assertEquals(claimed.stream().map(ClaimedJob::id).toList(), settled);
        assertEquals("running", state(claimed.get(0)), "left to the lease, so it runs again");
    }

    private List<ClaimedJob> claim(int count) {
        tx.executeWrite(status -> {
            for (int i = 0; i < count; i++) {
                queue.enqueue(JobRequest.of(kind, new PipelineTest.Payload(i)));
            }
            return null;
        });
        List<ClaimedJob> claimed = pools.create("holder").claimOnly(kind, count);
        assertEquals(count, claimed.size());
        return claimed;
    }

    private String state(ClaimedJob job) {
        return (String) db.value("SELECT state FROM jobs WHERE id = ?", job.id());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

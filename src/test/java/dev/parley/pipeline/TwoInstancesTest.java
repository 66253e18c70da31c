package dev.parley.pipeline;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two worker pools on one database, as two instances would run, with their real background threads. */
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
class TwoInstancesTest extends ApiTest {

    private static final int JOBS = 2_000;

    @Inject
    JobQueue queue;
    @Inject
    WorkerPools pools;
    @Inject
    TransactionOperations<Connection> tx;

    @Test
    void twoPoolsComplete2000JobsWithEveryEffectAppliedExactlyOnce() throws Exception {
        EffectTables effects = new EffectTables(tx);
        JobKind<PipelineTest.Payload> kind = JobKind.of(Api.unique("shared"), PipelineTest.Payload.class);
        try (WorkerPool a = pools.create("instance-a", handler(kind, effects, "instance-a"));
             WorkerPool b = pools.create("instance-b", handler(kind, effects, "instance-b"))) {
        long firstJob = jobs.mark();
            a.start();
            b.start();
            for (int batch = 0; batch < JOBS / 100; batch++) {
                int first = batch * 100;
                tx.executeWrite(status -> {
                    for (int i = first; i < first + 100; i++) {
                        queue.enqueue(JobRequest.of(kind, new PipelineTest.Payload(i)));
                    }
                    return null;
                });
            }
            jobs.since(firstJob, kind.name()).awaitFinished(Duration.ofMinutes(2));
        }
        assertEquals(JOBS, db.count("SELECT count(*) FROM jobs WHERE kind = ? AND state = 'succeeded'", kind.name()));
        assertEquals(JOBS, effects.counter(kind.name()));
        assertEquals(JOBS, db.count("SELECT count(*) FROM test_job_effects WHERE tag = ?", kind.name()));
        long runs = db.count("SELECT count(*) FROM test_job_runs r JOIN jobs j ON j.id = r.job_id WHERE j.kind = ?", kind.name());
        assertEquals(JOBS, runs, "no job ran twice while both instances were healthy");
        for (String instance : new String[]{"instance-a", "instance-b"}) {
            long share = db.count("SELECT count(*) FROM test_job_runs r JOIN jobs j ON j.id = r.job_id"
                    + " WHERE j.kind = ? AND r.runner = ?", kind.name(), instance);
            assertTrue(share > 0, instance + " ran no job");
        }
        String metrics = api.get("/prometheus", null).expect(200).body();
        assertTrue(metrics.contains("parley_jobs_completed_total{kind=\"" + kind.name() + "\"}"), "completed counter");
        assertTrue(metrics.contains("parley_jobs_wait_seconds"), "enqueue-to-start timer");
    }

    private static JobHandler<PipelineTest.Payload> handler(JobKind<PipelineTest.Payload> kind, EffectTables effects,
                                                            String runner) {
        return PipelineTest.handler(kind, job -> effects.run(job, runner, kind.name()));
    }
}

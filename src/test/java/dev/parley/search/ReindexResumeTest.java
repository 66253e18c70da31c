package dev.parley.search;

import dev.parley.pipeline.ClaimedJob;
import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.ActiveModels;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.SettableClock;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reindex run whose instance stops mid-run resumes on another from its last checkpoint, and no
 * finished batch is embedded again: the fake provider counts every input. Workers are driven by
 * hand and time by a settable clock.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReindexResumeTest extends FakeOpenAiApiTest {

    @Inject
    WorkerPools pools;
    @Inject
    ReindexJobHandler reindexer;
    @Inject
    SettableClock clock;
    @Inject
    ReindexRepository runs;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.moderation.provider", "rules",
                "parley.pipeline.workers-enabled", "false",
                "parley.test.settable-clock", "true",
                "parley.reindex.batch-size", "10",
                // Long enough that an unthrottled run fits one job even on a loaded machine.
                "parley.reindex.slice", "5m");
    }

    @AfterAll
    void cleanUp() {
        db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
        ActiveModels.set(db, ActiveModels.LOCAL);
    }

    @Test
    void aRunInterruptedByAStoppedInstanceResumesWithoutRedoingFinishedBatches() {
        var author = api.register("resume");
        String slug = api.category("resume");
        for (int i = 0; i < 25; i++) {
            api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Resume thread " + i,
                    "body", "post number " + i + " for the resumable run")).expect(201);
        }
        try (WorkerPool setup = pools.create("setup")) {
            while (setup.runDue() > 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        openai.resetCounters();
        // Throttled to one embedding a second, so each batch queues the next one 10 s later.
        JsonNode run = api.post("/api/admin/reindex", api.adminToken(),
                map("model", "text-embedding-3-small", "scope", "all", "maxPerSecond", 1.0)).expect(202).json();
        long id = run.get("id").getLongValue();
        int total = run.get("total").getIntValue();
        assertTrue(total > 20, "needs several batches; published posts: " + total);

        dev.parley.pipeline.JobHandler<ReindexTask> onlyReindex = reindexer;
        WorkerPool stopped = pools.create("stopped-instance", onlyReindex);
        assertEquals(1, stopped.runDue(), "one batch ran");
        assertEquals(10, done(id));
        clock.advance(Duration.ofSeconds(11));
        assertEquals(1, stopped.claimOnly(ReindexTask.KIND, 1).size(), "the instance stops holding the next batch");

        clock.advance(Duration.ofMinutes(1));
        WorkerPool resumed = pools.create("resumed-instance", onlyReindex);
        assertEquals(1, resumed.recoverExpiredLeases());
        for (int i = 0; i < 1000 && !state(id).equals("succeeded"); i++) {
            resumed.runDue();
            clock.advance(Duration.ofSeconds(11));
        }
        assertEquals("succeeded", state(id));
        JsonNode finished = api.get("/api/admin/reindex/" + id, api.adminToken()).json();
        assertEquals(total, finished.get("done").getIntValue());
        long written = db.count("SELECT count(*) FROM post_embeddings WHERE model = 'text-embedding-3-small'"
                + " AND embedded_at >= (SELECT started_at FROM reindex_runs WHERE id = ?)", id);
        assertEquals(written, openai.embeddingInputs(), "every chunk embedded once: no batch was done twice");
    }

    @Test
    void anUnthrottledRunEmbedsBatchAfterBatchInOneJobAndEveryChunkOnce() {
        var author = api.register("slice");
        String slug = api.category("slice");
        for (int i = 0; i < 25; i++) {
            api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Slice thread " + i,
                    "body", "post number " + i + " for the pipelined run")).expect(201);
        }
        try (WorkerPool setup = pools.create("setup")) {
            while (setup.runDue() > 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        openai.resetCounters();
        JsonNode run = api.post("/api/admin/reindex", api.adminToken(),
                map("model", "text-embedding-3-small", "scope", "all")).expect(202).json();
        long id = run.get("id").getLongValue();
        int total = run.get("total").getIntValue();
        assertTrue(total > 20, "needs several batches; published posts: " + total);

        dev.parley.pipeline.JobHandler<ReindexTask> onlyReindex = reindexer;
        WorkerPool pool = pools.create("slice-instance", onlyReindex);
        assertEquals(1, pool.runDue(), "one job ran every batch, the next one's embedding beside the current one's write");
        assertEquals("succeeded", state(id));
        JsonNode finished = api.get("/api/admin/reindex/" + id, api.adminToken()).json();
        assertEquals(total, finished.get("done").getIntValue());
        assertTrue(openai.embeddingRequests() >= total / 10, "batch by batch: " + openai.embeddingRequests());
        long written = db.count("SELECT count(*) FROM post_embeddings WHERE model = 'text-embedding-3-small'"
                + " AND embedded_at >= (SELECT started_at FROM reindex_runs WHERE id = ?)", id);
        assertEquals(written, openai.embeddingInputs(), "every chunk embedded once");
    }

    @Test
    void aCheckpointMovesOnlyFromWhereItsWorkerFoundItAndOnlyWhileTheRunRuns() {
        // Throttled and never run by a worker here: the test moves the checkpoint itself, under the claim
        // of the run's job.
        JsonNode run = api.post("/api/admin/reindex", api.adminToken(),
                map("model", "text-embedding-3-small", "scope", "all", "maxPerSecond", 0.001)).expect(202).json();
        long id = run.get("id").getLongValue();
        try (WorkerPool worker = pools.create("checkpoint-worker", (dev.parley.pipeline.JobHandler<ReindexTask>) reindexer)) {
            ClaimedJob claim = worker.claimOnly(ReindexTask.KIND, 1).get(0);
            assertEquals(1, runs.checkpoint(id, claim.id(), claim.leaseToken(), 0, 100, 10, 0),
                    "the worker that found the checkpoint at 0");
            assertEquals(0, runs.checkpoint(id, claim.id(), claim.leaseToken(), 0, 90, 10, 0),
                    "a worker that also started at 0: its batch does not count");
            assertEquals(100, db.count("SELECT last_post_id FROM reindex_runs WHERE id = ?", id));
            assertEquals(10, done(id));
            api.delete("/api/admin/reindex/" + id, api.adminToken()).expect(200);
            assertEquals(0, runs.checkpoint(id, claim.id(), claim.leaseToken(), 100, 110, 10, 0),
                    "a cancelled run's checkpoint stays");
            assertEquals(10, done(id));
        } finally {
            db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE id = ? AND state = 'running'", id);
            forgetJobsOf(id);
        }
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverCannotWriteACheckpoint() {
        var author = api.register("fence");
        String slug = api.category("fence");
        for (int i = 0; i < 12; i++) {
            api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Fenced thread " + i,
                    "body", "post number " + i + " for the fenced run")).expect(201);
        }
        try (WorkerPool setup = pools.create("setup")) {
            while (setup.runDue() > 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        // Throttled: one batch per job, so each job writes exactly one checkpoint.
        JsonNode run = api.post("/api/admin/reindex", api.adminToken(),
                map("model", "text-embedding-3-small", "scope", "all", "maxPerSecond", 1.0)).expect(202).json();
        long id = run.get("id").getLongValue();
        dev.parley.pipeline.JobHandler<ReindexTask> onlyReindex = reindexer;
        try (WorkerPool stalled = pools.create("stalled-instance", onlyReindex);
             WorkerPool takeover = pools.create("takeover-instance", onlyReindex)) {
            ClaimedJob lost = stalled.claimOnly(ReindexTask.KIND, 1).get(0);
            // The stalled worker misses its heartbeats: its lease runs out and another instance takes the job.
            clock.advance(Duration.ofMinutes(1));
            assertEquals(1, takeover.recoverExpiredLeases());
            ClaimedJob taken = takeover.claimOnly(ReindexTask.KIND, 1).get(0);
            assertEquals(lost.id(), taken.id(), "the same job, claimed again");

            // The stalled worker wakes up and runs its batch under the lost claim: nothing is checkpointed,
            // although the checkpoint is still where it found it.
            reindexer.handle(jobOf(lost, id));
            assertEquals(0, db.count("SELECT last_post_id FROM reindex_runs WHERE id = ?", id));
            assertEquals(0, done(id));
            assertEquals(0, runs.checkpoint(id, lost.id(), lost.leaseToken(), 0, 100, 10, 0),
                    "the lost claim cannot move the checkpoint");

            // The worker holding the job now writes it.
            reindexer.handle(jobOf(taken, id));
            assertEquals(10, done(id), "one batch, counted once");
        } finally {
            db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE id = ? AND state = 'running'", id);
            forgetJobsOf(id);
        }
    }

    /** The claims these tests hold by hand are never completed: their jobs must not outlive the test. */
    private void forgetJobsOf(long runId) {
        db.execute("UPDATE jobs SET state = 'dead', finished_at = now(), locked_by = NULL, lease_until = NULL,"
                + " lease_token = NULL WHERE kind = 'reindex' AND state IN ('queued', 'running')"
                + " AND (payload->>'runId')::bigint = ?", runId);
    }

    private static dev.parley.pipeline.Job<ReindexTask> jobOf(ClaimedJob claim, long runId) {
        return new dev.parley.pipeline.Job<>(claim.id(), claim.kind(), new ReindexTask(runId), claim.attempts(),
                claim.maxAttempts(), claim.createdAt(), claim.leaseToken());
    }

    private int done(long id) {
        return api.get("/api/admin/reindex/" + id, api.adminToken()).expect(200).json().get("done").getIntValue();
    }

    private String state(long id) {
        return api.get("/api/admin/reindex/" + id, api.adminToken()).expect(200).text("state");
    }
}

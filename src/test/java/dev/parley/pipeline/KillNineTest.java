package dev.parley.pipeline;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.ProcessLevel;
import dev.parley.support.ServiceProcess;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import static dev.parley.support.ServiceProcess.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the service as a separate process, kills it with SIGKILL while it holds jobs, starts it
 * again, and checks that every job completed and no effect was applied twice.
 */
@ProcessLevel
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
class KillNineTest extends ApiTest {

    private static final int JOBS = 400;

    @Inject
    JobQueue queue;
    @Inject
    TransactionOperations<Connection> tx;

    @Test
    void jobsHeldByAKilledInstanceCompleteExactlyOnceAfterARestart() throws Exception {
        EffectTables effects = new EffectTables(tx);
        String tag = Api.unique("crash");
        List<Long> ids = new ArrayList<>();
        tx.executeWrite(status -> {
            for (int i = 0; i < JOBS; i++) {
                ids.add(queue.enqueue(JobRequest.of(CrashTestHandler.KIND, new CrashTestHandler.Task(tag, i)))
                        .orElseThrow());
            }
            return null;
        });

        ServiceProcess first = startService("first");
        try {
            waitFor(() -> effects.counter(tag) >= JOBS / 4, "the first instance to make progress");
        } finally {
            first.kill();   // SIGKILL: no shutdown hook, no release
        }
        long heldAtKill = db.count("SELECT count(*) FROM jobs WHERE kind = ? AND state = 'running' AND id BETWEEN ? AND ?",
                CrashTestHandler.KIND.name(), ids.get(0), ids.get(JOBS - 1));
        long doneAtKill = effects.counter(tag);
        assertTrue(heldAtKill > 0, "the instance was killed while holding jobs");
        assertTrue(doneAtKill < JOBS, "the instance was killed before finishing");

        try (ServiceProcess second = startService("second")) {
            waitFor(() -> db.count("SELECT count(*) FROM jobs WHERE state = 'succeeded' AND id BETWEEN ? AND ?",
                    ids.get(0), ids.get(JOBS - 1)) == JOBS, "every job to complete after the restart");
        }

        assertEquals(JOBS, effects.counter(tag), "every effect applied exactly once");
        assertEquals(JOBS, db.count("SELECT count(*) FROM test_job_effects WHERE tag = ?", tag));
        long runs = db.count("SELECT count(*) FROM test_job_runs WHERE job_id BETWEEN ? AND ?",
                ids.get(0), ids.get(JOBS - 1));
        System.out.printf("kill -9 test: %d jobs, %d held at the kill, %d done before it, %d handler runs%n",
                JOBS, heldAtKill, doneAtKill, runs);
        assertTrue(runs >= JOBS);
    }

    private ServiceProcess startService(String name) throws Exception {
        return ServiceProcess.start("kill-nine-" + name, -1, "crash-test", ServiceProcess.baseEnv(
                environment.getRequiredProperty("datasources.default.url", String.class), "2s"));
    }
}

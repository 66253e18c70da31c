package dev.parley.pipeline;

import io.micronaut.context.annotation.Requires;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * A slow job with an observable effect, loaded only in the service processes that
 * {@link KillNineTest} starts and kills.
 */
@Singleton
@Requires(env = "crash-test")
class CrashTestHandler implements JobHandler<CrashTestHandler.Task> {

    static final JobKind<Task> KIND = JobKind.of("crash-test", Task.class);

    /** Which test run queued the job, and its number in the run. */
    @Serdeable
    record Task(String tag, int n) {
    }

    private final TransactionOperations<Connection> tx;
    private final String runner = "pid-" + ManagementFactory.getRuntimeMXBean().getPid();

    CrashTestHandler(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Override
    public JobKind<Task> kind() {
        return KIND;
    }

    @Override
    public void handle(Job<Task> job) throws Exception {
        String tag = job.payload().tag();
        Thread.sleep(20);
        tx.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement log = c.prepareStatement("INSERT INTO test_job_runs (job_id, runner) VALUES (?, ?)")) {
                log.setLong(1, job.id());
                log.setString(2, runner);
                log.executeUpdate();
            }
            EffectTables.applyOnce(c, job.id(), tag);
            return null;
        });
    }
}

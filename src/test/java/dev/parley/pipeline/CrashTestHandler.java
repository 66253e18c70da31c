package dev.parley.pipeline;

import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;

/**
 * A slow job with an observable effect, loaded only in the service processes that
 * {@link KillNineTest} starts and kills.
 */
@Singleton
@Requires(env = "crash-test")
class CrashTestHandler implements JobHandler {

    static final String KIND = "crash-test";

    private final TransactionOperations<Connection> tx;
    private final JsonMapper json;
    private final String runner = "pid-" + ManagementFactory.getRuntimeMXBean().getPid();

    CrashTestHandler(TransactionOperations<Connection> tx, JsonMapper json) {
        this.tx = tx;
        this.json = json;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(Job job) throws Exception {
        String tag = (String) json.readValue(job.payload(), Map.class).get("tag");
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

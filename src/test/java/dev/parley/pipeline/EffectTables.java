package dev.parley.pipeline;

import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What test jobs do: every run is logged, and the effect (a counter increment) is applied at most
 * once per job by keying it on the job id, the way real handlers key on a post version.
 */
final class EffectTables {

    private final TransactionOperations<Connection> tx;

    EffectTables(TransactionOperations<Connection> tx) {
        this.tx = tx;
        tx.executeWrite(status -> {
            try (Statement s = status.getConnection().createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS test_job_runs (job_id bigint, runner text, at timestamptz DEFAULT now())");
                s.execute("CREATE TABLE IF NOT EXISTS test_job_effects (job_id bigint PRIMARY KEY, tag text)");
                s.execute("CREATE TABLE IF NOT EXISTS test_counters (tag text PRIMARY KEY, n bigint NOT NULL)");
            }
            return null;
        });
    }

    void run(Job<?> job, String runner, String tag) {
        tx.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement log = c.prepareStatement("INSERT INTO test_job_runs (job_id, runner) VALUES (?, ?)")) {
                log.setLong(1, job.id());
                log.setString(2, runner);
                log.executeUpdate();
            }
            applyOnce(c, job.id(), tag);
            return null;
        });
    }

    static void applyOnce(Connection c, long jobId, String tag) throws SQLException {
        try (PreparedStatement counter = c.prepareStatement("""
                INSERT INTO test_counters (tag, n) VALUES (?, 0) ON CONFLICT (tag) DO NOTHING""")) {
            counter.setString(1, tag);
            counter.executeUpdate();
        }
        try (PreparedStatement effect = c.prepareStatement("""
                WITH first AS (INSERT INTO test_job_effects (job_id, tag) VALUES (?, ?)
                               ON CONFLICT (job_id) DO NOTHING RETURNING 1)
                UPDATE test_counters SET n = n + (SELECT count(*) FROM first) WHERE tag = ?""")) {
            effect.setLong(1, jobId);
            effect.setString(2, tag);
            effect.setString(3, tag);
            effect.executeUpdate();
        }
    }

    long counter(String tag) {
        return tx.executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT COALESCE((SELECT n FROM test_counters WHERE tag = ?), 0)")) {
                s.setString(1, tag);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }
}

package dev.parley.search;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Singleton
class ReindexRepository {

    record Row(long id, String model, String scope, String state, int total, int done, int failed, long lastPostId,
               Double maxPerSecond, Instant startedAt, Instant finishedAt) {
    }

    static final String COLUMNS = "id, model, scope, state, total, done, failed, last_post_id, "
            + "max_per_second, started_at, finished_at";

    /**
     * The published posts of a scope after a post id, in id order. "stale": no current embedding
     * by this model (none at all, or one of an older post version).
     */
    private static final String SELECTION = """
            FROM posts p
            WHERE p.status = 'published' AND p.id > ?
              AND (? = 'all' OR NOT EXISTS (SELECT 1 FROM post_embeddings e
                                             WHERE e.model = ? AND e.post_id = p.id AND e.chunk = 0
                                               AND e.post_version = p.version))""";

    private final Sql sql;

    ReindexRepository(Sql sql) {
        this.sql = sql;
    }

    /** Starts a run; throws {@link Sql.UniqueViolation} when the model has a running run. */
    Row insert(String model, String scope, Double maxPerSecond, long startedBy, Instant now) {
        int total = sql.one("SELECT count(*) " + SELECTION, s -> bindSelection(s, 0, scope, model),
                r -> r.getInt(1)).orElse(0);
        return sql.one("INSERT INTO reindex_runs (model, scope, state, total, max_per_second, started_by, started_at)"
                        + " VALUES (?, ?, 'running', ?, ?, ?, ?) RETURNING " + COLUMNS,
                s -> {
                    s.setString(1, model);
                    s.setString(2, scope);
                    s.setInt(3, total);
                    s.setObject(4, maxPerSecond);
                    s.setLong(5, startedBy);
                    s.setTimestamp(6, Rows.timestamp(now));
                }, ReindexRepository::map).orElseThrow();
    }

    Optional<Row> find(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM reindex_runs WHERE id = ?", s -> s.setLong(1, id),
                ReindexRepository::map);
    }

    Optional<Row> findForUpdate(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM reindex_runs WHERE id = ? FOR UPDATE", s -> s.setLong(1, id),
                ReindexRepository::map);
    }

    List<Row> running() {
        return sql.list("SELECT " + COLUMNS + " FROM reindex_runs WHERE state = 'running' ORDER BY id", s -> { },
                ReindexRepository::map);
    }

    /** The next batch of post ids of a run, after its checkpoint. */
    List<Long> nextBatch(Row run, int size) {
        return sql.list("SELECT p.id " + SELECTION + " ORDER BY p.id LIMIT ?", s -> {
            bindSelection(s, run.lastPostId(), run.scope(), run.model());
            s.setInt(4, size);
        }, r -> r.getLong(1));
    }

    /** Commits a batch: the checkpoint moves past it and the counters grow. */
    void checkpoint(long runId, long lastPostId, int done, int failed) {
        sql.update("UPDATE reindex_runs SET last_post_id = ?, done = done + ?, failed = failed + ? WHERE id = ?", s -> {
            s.setLong(1, lastPostId);
            s.setInt(2, done);
            s.setInt(3, failed);
            s.setLong(4, runId);
        });
    }

    void finish(long runId, String state, Instant now) {
        sql.update("UPDATE reindex_runs SET state = ?, finished_at = ? WHERE id = ? AND state = 'running'", s -> {
            s.setString(1, state);
            s.setTimestamp(2, Rows.timestamp(now));
            s.setLong(3, runId);
        });
    }

    void recordFailure(long runId, long postId, String error) {
        sql.update("""
                INSERT INTO reindex_failures (run_id, post_id, error) VALUES (?, ?, ?)
                ON CONFLICT (run_id, post_id) DO UPDATE SET error = EXCLUDED.error""", s -> {
            s.setLong(1, runId);
            s.setLong(2, postId);
            s.setString(3, error.length() > 1000 ? error.substring(0, 1000) : error);
        });
    }

    List<Long> failures(long runId) {
        return sql.list("SELECT post_id FROM reindex_failures WHERE run_id = ? ORDER BY post_id",
                s -> s.setLong(1, runId), r -> r.getLong(1));
    }

    /** A failed post that a retry embedded after all. */
    void recovered(long runId, long postId) {
        if (sql.update("DELETE FROM reindex_failures WHERE run_id = ? AND post_id = ?", s -> {
            s.setLong(1, runId);
            s.setLong(2, postId);
        }) == 1) {
            sql.update("UPDATE reindex_runs SET failed = failed - 1, done = done + 1 WHERE id = ?",
                    s -> s.setLong(1, runId));
        }
    }

    /** Published posts with no current embedding by a model (the sweep's gap list). */
    List<long[]> missing(String model, int limit) {
        return sql.list("""
                SELECT p.id, p.version FROM posts p
                 WHERE p.status = 'published'
                   AND NOT EXISTS (SELECT 1 FROM post_embeddings e WHERE e.model = ? AND e.post_id = p.id
                                     AND e.chunk = 0 AND e.post_version = p.version)
                 ORDER BY p.id LIMIT ?""", s -> {
            s.setString(1, model);
            s.setInt(2, limit);
        }, r -> new long[]{r.getLong(1), r.getInt(2)});
    }

    private static void bindSelection(java.sql.PreparedStatement s, long after, String scope, String model)
            throws SQLException {
        s.setLong(1, after);       // checkpoint
        s.setString(2, scope);     // 'all' or 'stale'
        s.setString(3, model);     // the run's model
    }

    static Row map(ResultSet r) throws SQLException {
        return new Row(r.getLong("id"), r.getString("model"), r.getString("scope"), r.getString("state"),
                r.getInt("total"), r.getInt("done"), r.getInt("failed"), r.getLong("last_post_id"),
                (Double) r.getObject("max_per_second"), Rows.instant(r, "started_at"), Rows.instant(r, "finished_at"));
    }
}

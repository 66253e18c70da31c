package dev.parley.search;

import dev.parley.common.UniqueViolations;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reindex runs with their progress and checkpoint, and the posts a run could not embed. */
@JdbcRepository(dialect = Dialect.POSTGRES)
abstract class ReindexRepository implements GenericRepository<ReindexRepository.Row, Long> {

    @MappedEntity("reindex_runs")
    record Row(@Id @GeneratedValue @Nullable Long id, String model,
               @TypeDef(type = DataType.STRING, converter = ReindexScope.Converter.class) ReindexScope scope,
               @TypeDef(type = DataType.STRING, converter = ReindexState.Converter.class) ReindexState state,
               int total, int done,
               int failed, long lastPostId, @Nullable Double maxPerSecond, @Nullable Long startedBy,
               Instant startedAt, @Nullable Instant finishedAt) {
    }

    /** A published post and its current version. */
    @Introspected
    record PostVersion(long id, int version) {
    }

    /** The model already has a running run (on any instance). */
    static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning(String model) {
            super("a reindex run for " + model + " is already running");
        }
    }

    /**
     * Starts a run, counting the posts of its scope.
     *
     * @throws AlreadyRunning when the model has a running run
     */
    Row insert(String model, ReindexScope scope, @Nullable Double maxPerSecond, long startedBy, Instant now) {
        int total = countSelection(0, scope, model);
        // The unique index reindex_runs_one_running allows one running run per model.
        return UniqueViolations.translate(
                () -> save(new Row(null, model, scope, ReindexState.RUNNING, total, 0, 0, 0, maxPerSecond, startedBy,
                        now, null)),
                () -> new AlreadyRunning(model));
    }

    abstract Row save(Row run);

    @Query("SELECT * FROM reindex_runs WHERE id = :id")
    abstract Optional<Row> find(long id);

    @Query("SELECT * FROM reindex_runs WHERE id = :id FOR UPDATE")
    abstract Optional<Row> findForUpdate(long id);

    @Query("SELECT * FROM reindex_runs WHERE state = 'running' ORDER BY id")
    abstract List<Row> running();

    /** Runs newest first, before a run id (keyset page). */
    @Query("SELECT * FROM reindex_runs WHERE id < :beforeId ORDER BY id DESC LIMIT :limit")
    abstract List<Row> findBefore(long beforeId, int limit);

    /** How many posts of a run's scope ({@link ReindexScope}) follow a post id. */
    @Query("""
            SELECT count(*) FROM posts p
             WHERE p.status = 'published' AND p.id > :after
               AND (:scope = 'all' OR NOT EXISTS (SELECT 1 FROM post_embeddings e
                                                   WHERE e.model = :model AND e.post_id = p.id AND e.chunk = 0
                                                     AND e.post_version = p.version))""")
    abstract int countSelection(long after, ReindexScope scope, String model);

    @Query("""
            SELECT p.id FROM posts p
             WHERE p.status = 'published' AND p.id > :after
               AND (:scope = 'all' OR NOT EXISTS (SELECT 1 FROM post_embeddings e
                                                   WHERE e.model = :model AND e.post_id = p.id AND e.chunk = 0
                                                     AND e.post_version = p.version))
             ORDER BY p.id LIMIT :size""")
    abstract List<Long> findSelection(long after, ReindexScope scope, String model, int size);

    /**
     * Commits a batch: the checkpoint moves past it and the counters grow, only while the run is
     * running, its checkpoint is still {@code expected}, and the job claim the batch was made under
     * still holds the job. A worker whose lease expired and was taken over writes nothing, even before
     * the new holder has moved the checkpoint ({@code job_lease_held}, V21, also keeps the job from
     * being taken over until this transaction ends); the checkpoint condition still guards runs of
     * older code.
     *
     * @return 1 when the checkpoint moved, 0 when the run was cancelled, the lease was lost or another
     * worker moved the checkpoint first
     */
    @Query("""
            UPDATE reindex_runs SET last_post_id = :lastPostId, done = done + :done, failed = failed + :failed
             WHERE id = :runId AND state = 'running' AND last_post_id = :expected
               AND job_lease_held(:jobId, :leaseToken)""")
    abstract int checkpoint(long runId,         // the run
                            long jobId,         // the job this slice runs as
                            UUID leaseToken,    // the lease token of its claim: the fence
                            long expected,      // the checkpoint as this worker found it
                            long lastPostId,    // the new checkpoint
                            int done,
                            int failed);

    /** Ends a running run as {@code state}, only while the job claim ending it still holds its job. */
    @Query("""
            UPDATE reindex_runs SET state = :state, finished_at = :now
             WHERE id = :runId AND state = 'running' AND job_lease_held(:jobId, :leaseToken)""")
    abstract int finishHeld(long runId, long jobId, UUID leaseToken, ReindexState state, Instant now);

    /**
     * Ends a running run; a run already ended stays as it ended. (Micronaut Data binds a parameter
     * named like an entity property through that property's converter: {@code state} is stored lowercase.)
     */
    @Query("UPDATE reindex_runs SET state = :state, finished_at = :now WHERE id = :runId AND state = 'running'")
    abstract void finish(long runId, ReindexState state, Instant now);

    @Query("""
            INSERT INTO reindex_failures (run_id, post_id, error) VALUES (:runId, :postId, left(:error, 1000))
            ON CONFLICT (run_id, post_id) DO UPDATE SET error = EXCLUDED.error""")
    abstract void recordFailure(long runId, long postId, String error);

    @Query("SELECT post_id FROM reindex_failures WHERE run_id = :runId ORDER BY post_id")
    abstract List<Long> failures(long runId);

    /** A failed post that a retry embedded after all: it counts as done. */
    void recovered(long runId, long postId) {
        if (deleteFailure(runId, postId) == 1) {
            countRecovered(runId);
        }
    }

    @Query("DELETE FROM reindex_failures WHERE run_id = :runId AND post_id = :postId")
    abstract int deleteFailure(long runId, long postId);

    @Query("UPDATE reindex_runs SET failed = failed - 1, done = done + 1 WHERE id = :runId")
    abstract int countRecovered(long runId);

    /** Published posts with no current embedding by a model (the sweep's gap list). */
    @Query("""
            SELECT p.id, p.version FROM posts p
             WHERE p.status = 'published'
               AND NOT EXISTS (SELECT 1 FROM post_embeddings e WHERE e.model = :model AND e.post_id = p.id
                                 AND e.chunk = 0 AND e.post_version = p.version)
             ORDER BY p.id LIMIT :limit""")
    abstract List<PostVersion> missing(String model, int limit);
}

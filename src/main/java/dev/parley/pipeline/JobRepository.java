package dev.parley.pipeline;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements on the {@code jobs} table. Times are parameters from the caller's clock, never
 * {@code now()}, so tests can move time. Outcome updates are fenced by the claim's lease token: a
 * worker whose lease was taken over changes nothing.
 * <p>
 * Statements with {@code RETURNING} return whole {@link JobRow}s: Micronaut Data maps a
 * returning statement's rows into the entity only (a projection record gets the first column).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface JobRepository extends GenericRepository<JobRow, Long> {

    /** Inserts a job; no row when a job of this kind and unique key waits to start. */
    @Query("""
            INSERT INTO jobs (kind, payload, unique_key, max_attempts, run_at, created_at)
            VALUES (:kind, CAST(:payload AS jsonb), :uniqueKey, :maxAttempts, :runAt, :createdAt)
            ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL AND state = 'queued' AND attempts = 0
            DO NOTHING
            RETURNING *""")
    List<JobRow> insert(String kind,                   // handler kind name
                        String payload,                // JSON of the kind's payload record
                        @Nullable String uniqueKey,    // null: no de-duplication
                        int maxAttempts,
                        Instant runAt,                 // not before
                        Instant createdAt);

    /**
     * Claims up to {@code limit} due jobs of a kind. SKIP LOCKED lets any number of workers claim
     * concurrently without waiting on, or double-claiming, each other's rows.
     */
    @Query("""
            UPDATE jobs
               SET state = 'running', attempts = attempts + 1, locked_by = :workerId, lease_until = :leaseUntil,
                   lease_token = :token, started_at = COALESCE(started_at, :now)
             WHERE id IN (SELECT id FROM jobs
                           WHERE state = 'queued' AND kind = :kind AND run_at <= :now
                           ORDER BY run_at, id
                           LIMIT :limit
                           FOR UPDATE SKIP LOCKED)
            RETURNING *""")
    List<JobRow> claim(String kind,          // only this kind's jobs
                       String workerId,      // the claiming instance, readable in the table
                       int limit,            // at most this many rows
                       Instant now,          // due by now; also the first start
                       Instant leaseUntil,   // the heartbeat must renew the claim before then
                       UUID token);          // one token for the batch; each row still fenced by it

    /**
     * When the next queued job of these kinds becomes due, if one is waiting for a time after
     * {@code now} (a delayed job, a retry, a throttled run's next batch).
     */
    @Query("""
            SELECT run_at FROM jobs
             WHERE state = 'queued' AND kind = ANY (:kinds) AND run_at > :now
             ORDER BY run_at LIMIT 1""")
    Optional<Instant> nextDue(String[] kinds, Instant now);

    @Query("""
            UPDATE jobs SET state = 'succeeded', finished_at = :now, locked_by = NULL, lease_until = NULL
             WHERE id = :id AND state = 'running' AND lease_token = :leaseToken""")
    int complete(long id, UUID leaseToken, Instant now);

    /**
     * Marks many jobs succeeded in one statement, each fenced by the lease token of its own claim
     * ({@code ids[i]} with {@code leaseTokens[i]}); returns the ids it marked. The tokens go as text
     * because Micronaut Data binds no {@code UUID[]}.
     */
    @Query("""
            UPDATE jobs SET state = 'succeeded', finished_at = :now, locked_by = NULL, lease_until = NULL
              FROM unnest(:ids, CAST(:leaseTokens AS uuid[])) AS done(id, lease_token)
             WHERE jobs.id = done.id AND jobs.state = 'running' AND jobs.lease_token = done.lease_token
            RETURNING jobs.id""")
    List<Long> completeAll(Long[] ids,              // the succeeded jobs
                           String[] leaseTokens,    // the lease token each was claimed with, same order
                           Instant now);

    /** {@code refund} is 1 to give back the attempt of this claim, 0 to charge it. */
    @Query("""
            UPDATE jobs SET state = 'queued', run_at = :runAt, last_error = :error, locked_by = NULL, lease_until = NULL,
                   lease_token = NULL, attempts = attempts - :refund
             WHERE id = :id AND state = 'running' AND lease_token = :leaseToken""")
    int reschedule(long id, UUID leaseToken, Instant runAt, String error, int refund);

    @Query("""
            UPDATE jobs SET state = 'dead', finished_at = :now, last_error = :error, locked_by = NULL, lease_until = NULL,
                   lease_token = NULL
             WHERE id = :id AND state = 'running' AND lease_token = :leaseToken""")
    int bury(long id, UUID leaseToken, Instant now, String error);

    @Query("""
            UPDATE jobs SET state = 'parked', parked_on = :resource, last_error = :error, locked_by = NULL,
                   lease_until = NULL, lease_token = NULL
             WHERE id = :id AND state = 'running' AND lease_token = :leaseToken""")
    int park(long id, UUID leaseToken, String resource, String error);

    @Query("""
            UPDATE jobs SET state = 'queued', run_at = :now, parked_on = NULL
             WHERE state = 'parked' AND parked_on = :resource""")
    int resume(String resource, Instant now);

    @Query("SELECT count(*) FROM jobs WHERE state = 'parked' AND parked_on = :resource")
    long countParked(String resource);

    /** The heartbeat: renews the leases of the jobs {@code held} by {@code workerId}, and only those. */
    @Query("""
            UPDATE jobs SET lease_until = :leaseUntil
             WHERE state = 'running' AND locked_by = :workerId AND id = ANY(:held)""")
    int extendLeases(String workerId, Long[] held, Instant leaseUntil);

    /** Expired leases of jobs whose attempts are used up: dead. */
    @Query("""
            UPDATE jobs SET state = 'dead', finished_at = :now, locked_by = NULL, lease_until = NULL, lease_token = NULL,
                   last_error = 'lease expired: the worker stopped while running the job'
             WHERE state = 'running' AND lease_until < :now AND attempts >= max_attempts""")
    int buryExpired(Instant now);

    /** Every other expired lease: queued again at once. */
    @Query("""
            UPDATE jobs SET state = 'queued', run_at = :now, locked_by = NULL, lease_until = NULL, lease_token = NULL,
                   last_error = 'lease expired: the worker stopped while running the job'
             WHERE state = 'running' AND lease_until < :now""")
    int requeueExpired(Instant now);

    /** Hands back what {@code workerId} holds, without charging the attempt. */
    @Query("""
            UPDATE jobs SET state = 'queued', run_at = :now, locked_by = NULL, lease_until = NULL, lease_token = NULL,
                   attempts = GREATEST(attempts - 1, 0)
             WHERE state = 'running' AND locked_by = :workerId""")
    int release(String workerId, Instant now);

    @Query("""
            UPDATE jobs SET state = 'queued', attempts = 0, run_at = :now, finished_at = NULL
             WHERE id = :id AND state = 'dead'
            RETURNING *""")
    List<JobRow> revive(long id, Instant now);

    @Query("""
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs WHERE state = 'succeeded' AND finished_at < :before LIMIT :batch)""")
    int purgeSucceeded(Instant before, int batch);

    @Query("""
            SELECT kind,
                   count(*) FILTER (WHERE state = 'queued' AND attempts = 0) AS queued,
                   count(*) FILTER (WHERE state = 'running')                 AS running,
                   count(*) FILTER (WHERE state = 'queued' AND attempts > 0) AS retrying,
                   count(*) FILTER (WHERE state = 'dead')                    AS dead,
                   count(*) FILTER (WHERE state = 'parked')                  AS parked,
                   min(created_at) FILTER (WHERE state = 'queued')           AS oldest_queued
              FROM jobs WHERE state <> 'succeeded' GROUP BY kind ORDER BY kind""")
    List<KindCounts> counts();

    /** Sent in the caller's transaction, so PostgreSQL delivers it only if that transaction commits. */
    @Query("SELECT pg_notify(:channel, :kind)")
    Optional<String> notifyWorkers(String channel, String kind);

    /** Unfinished jobs of one kind, and when the oldest queued one was enqueued. */
    @Introspected
    record KindCounts(String kind, long queued, long running, long retrying, long dead, long parked,
                      @Nullable Instant oldestQueued) {
    }
}

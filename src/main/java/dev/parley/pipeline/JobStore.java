package dev.parley.pipeline;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.TransactionDefinition;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every statement on the {@code jobs} table. Times come from the caller's clock, never from now(). */
@Singleton
class JobStore {

    /** NOTIFY channel that wakes the workers of every instance when a job is committed. */
    static final String CHANNEL = "parley_jobs";

    private final Sql sql;

    JobStore(Sql sql) {
        this.sql = sql;
    }

    /**
     * Inserts a job in the caller's transaction, and a notification that PostgreSQL delivers only if
     * that transaction commits. Returns empty when a job of the same kind and unique key is waiting.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    Optional<Long> insert(String kind, String payloadJson, String uniqueKey, int maxAttempts, Instant runAt,
                          Instant now) {
        Optional<Long> id = sql.one("""
                INSERT INTO jobs (kind, payload, unique_key, max_attempts, run_at, created_at)
                VALUES (?, ?::jsonb, ?, ?, ?, ?)
                ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL AND state = 'queued' AND attempts = 0
                DO NOTHING
                RETURNING id""", s -> {
            s.setString(1, kind);
            s.setString(2, payloadJson);
            s.setString(3, uniqueKey);                 // null: no de-duplication
            s.setInt(4, maxAttempts);
            s.setTimestamp(5, Rows.timestamp(runAt));  // not before
            s.setTimestamp(6, Rows.timestamp(now));    // created_at
        }, r -> r.getLong(1));
        if (id.isPresent()) {
            notifyWorkers(kind);
        }
        return id;
    }

    /**
     * Claims up to {@code limit} due jobs of a kind for {@code workerId}. SKIP LOCKED lets any
     * number of workers claim concurrently without waiting on, or double-claiming, each other's rows.
     */
    @Transactional
    List<Job> claim(String kind, String workerId, int limit, Instant now, Instant leaseUntil) {
        UUID token = UUID.randomUUID();
        return sql.list("""
                UPDATE jobs
                   SET state = 'running', attempts = attempts + 1, locked_by = ?, lease_until = ?, lease_token = ?,
                       started_at = COALESCE(started_at, ?)
                 WHERE id IN (SELECT id FROM jobs
                               WHERE state = 'queued' AND kind = ? AND run_at <= ?
                               ORDER BY run_at, id
                               LIMIT ?
                               FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, payload::text, attempts, max_attempts, created_at, lease_token""", s -> {
            s.setString(1, workerId);
            s.setTimestamp(2, Rows.timestamp(leaseUntil));
            s.setObject(3, token);                     // one token for the batch; each row still fenced by it
            s.setTimestamp(4, Rows.timestamp(now));    // first start
            s.setString(5, kind);
            s.setTimestamp(6, Rows.timestamp(now));    // due by now
            s.setInt(7, limit);
        }, JobStore::mapJob);
    }

    /** Marks the job succeeded; false when this claim no longer holds it (its lease was taken over). */
    @Transactional
    boolean complete(Job job, Instant now) {
        return sql.update("""
                UPDATE jobs SET state = 'succeeded', finished_at = ?, locked_by = NULL, lease_until = NULL
                 WHERE id = ? AND state = 'running' AND lease_token = ?""", s -> {
            s.setTimestamp(1, Rows.timestamp(now));
            s.setLong(2, job.id());
            s.setObject(3, job.leaseToken());
        }) == 1;
    }

    /**
     * Puts the job back in the queue to run at {@code runAt}. {@code refundAttempt} gives back the
     * attempt of this claim (the handler was told to wait, it did not fail).
     */
    @Transactional
    boolean reschedule(Job job, Instant runAt, String error, boolean refundAttempt) {
        return sql.update("""
                UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?, locked_by = NULL, lease_until = NULL,
                       lease_token = NULL, attempts = attempts - ?
                 WHERE id = ? AND state = 'running' AND lease_token = ?""", s -> {
            s.setTimestamp(1, Rows.timestamp(runAt));
            s.setString(2, error);
            s.setInt(3, refundAttempt ? 1 : 0);
            s.setLong(4, job.id());
            s.setObject(5, job.leaseToken());
        }) == 1;
    }

    /** Gives up on the job; it keeps its last error until an admin retries it. */
    @Transactional
    boolean bury(Job job, Instant now, String error) {
        return sql.update("""
                UPDATE jobs SET state = 'dead', finished_at = ?, last_error = ?, locked_by = NULL, lease_until = NULL,
                       lease_token = NULL
                 WHERE id = ? AND state = 'running' AND lease_token = ?""", s -> {
            s.setTimestamp(1, Rows.timestamp(now));
            s.setString(2, error);
            s.setLong(3, job.id());
            s.setObject(4, job.leaseToken());
        }) == 1;
    }

    /**
     * The heartbeat: extends the leases of the jobs this worker still holds in memory. Only those:
     * a job whose outcome could not be recorded (the database went away) is no longer held, and its
     * lease must run out so that it is queued again rather than stay "running" for ever.
     */
    @Transactional
    int extendLeases(String workerId, java.util.Collection<Long> held, Instant leaseUntil) {
        if (held.isEmpty()) {
            return 0;
        }
        return sql.update("UPDATE jobs SET lease_until = ? WHERE state = 'running' AND locked_by = ? AND id = ANY(?)",
                s -> {
                    s.setTimestamp(1, Rows.timestamp(leaseUntil));                                  // new lease end
                    s.setString(2, workerId);                                                       // this worker
                    s.setArray(3, s.getConnection().createArrayOf("bigint", held.toArray()));       // jobs in hand
                });
    }

    /**
     * Returns to the queue every job whose lease expired: its worker crashed, was killed or lost the
     * database. Jobs that used up their attempts this way are dead instead.
     */
    @Transactional
    int recoverExpired(Instant now) {
        int dead = sql.update("""
                UPDATE jobs SET state = 'dead', finished_at = ?, locked_by = NULL, lease_until = NULL, lease_token = NULL,
                       last_error = 'lease expired: the worker stopped while running the job'
                 WHERE state = 'running' AND lease_until < ? AND attempts >= max_attempts""", s -> {
            s.setTimestamp(1, Rows.timestamp(now));
            s.setTimestamp(2, Rows.timestamp(now));
        });
        return dead + sql.update("""
                UPDATE jobs SET state = 'queued', run_at = ?, locked_by = NULL, lease_until = NULL, lease_token = NULL,
                       last_error = 'lease expired: the worker stopped while running the job'
                 WHERE state = 'running' AND lease_until < ?""", s -> {
            s.setTimestamp(1, Rows.timestamp(now));
            s.setTimestamp(2, Rows.timestamp(now));
        });
    }

    /** On shutdown: hands back the jobs this worker still holds, without charging an attempt. */
    @Transactional
    int release(String workerId, Instant now) {
        return sql.update("""
                UPDATE jobs SET state = 'queued', run_at = ?, locked_by = NULL, lease_until = NULL, lease_token = NULL,
                       attempts = GREATEST(attempts - 1, 0)
                 WHERE state = 'running' AND locked_by = ?""", s -> {
            s.setTimestamp(1, Rows.timestamp(now));
            s.setString(2, workerId);
        });
    }

    /**
     * Queues a dead job again with fresh attempts and wakes the workers. False when there is no dead
     * job with this id.
     */
    @Transactional
    boolean revive(long id, Instant now) {
        Optional<String> kind = sql.one("""
                UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?, finished_at = NULL
                 WHERE id = ? AND state = 'dead' RETURNING kind""", s -> {
            s.setTimestamp(1, Rows.timestamp(now));
            s.setLong(2, id);
        }, r -> r.getString(1));
        kind.ifPresent(this::notifyWorkers);
        return kind.isPresent();
    }

    private void notifyWorkers(String kind) {
        sql.one("SELECT pg_notify(?, ?)", s -> {
            s.setString(1, CHANNEL);
            s.setString(2, kind);
        }, r -> true);
    }

    /** Deletes succeeded jobs that finished before {@code before}, a bounded batch at a time. */
    @Transactional
    int purgeSucceeded(Instant before, int batch) {
        return sql.update("""
                DELETE FROM jobs WHERE id IN (
                    SELECT id FROM jobs WHERE state = 'succeeded' AND finished_at < ? LIMIT ?)""", s -> {
            s.setTimestamp(1, Rows.timestamp(before));
            s.setInt(2, batch);
        });
    }

    /** Counts of unfinished jobs per kind, and the enqueue time of the oldest queued job. */
    @Transactional(readOnly = true)
    List<KindCounts> counts() {
        return sql.list("""
                SELECT kind,
                       count(*) FILTER (WHERE state = 'queued' AND attempts = 0) AS queued,
                       count(*) FILTER (WHERE state = 'running')                 AS running,
                       count(*) FILTER (WHERE state = 'queued' AND attempts > 0) AS retrying,
                       count(*) FILTER (WHERE state = 'dead')                    AS dead,
                       min(created_at) FILTER (WHERE state = 'queued')           AS oldest_queued
                  FROM jobs WHERE state <> 'succeeded' GROUP BY kind ORDER BY kind""", s -> { },
                r -> new KindCounts(r.getString("kind"), r.getLong("queued"), r.getLong("running"),
                        r.getLong("retrying"), r.getLong("dead"), Rows.instant(r, "oldest_queued")));
    }

    record KindCounts(String kind, long queued, long running, long retrying, long dead, Instant oldestQueued) {
    }

    private static Job mapJob(ResultSet row) throws SQLException {
        return new Job(row.getLong("id"), row.getString("kind"), row.getString("payload"), row.getInt("attempts"),
                row.getInt("max_attempts"), Rows.instant(row, "created_at"), row.getObject("lease_token", UUID.class));
    }

}

package dev.parley.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The background jobs a test waits for: its own, picked by post, by reindex run, or as enqueued
 * after a mark the test took, so that no test waits on (or for) another one's pipeline. Waits are
 * bounded by {@link Waits#PATIENCE} and fail listing the jobs still pending.
 */
public final class Jobs {

    private static final String PENDING = " AND state IN ('queued', 'running')";

    private final Db db;

    public Jobs(Db db) {
        this.db = db;
    }

    /** The newest job's id: the jobs enqueued after it are the ones the test caused from then on. */
    public long mark() {
        return db.count("SELECT coalesce(max(id), 0) FROM jobs");
    }

    /** The jobs of {@code kind} about one post; waiting for them also waits for the first to be enqueued. */
    public Selection ofPost(String kind, long postId) {
        return new Selection("kind = ? AND payload->>'postId' = ?", List.of(kind, String.valueOf(postId)), true,
                kind + " jobs of post " + postId);
    }

    /** The batches of one reindex run. */
    public Selection ofRun(long runId) {
        return new Selection("kind = 'reindex' AND payload->>'runId' = ?", List.of(String.valueOf(runId)), true,
                "reindex jobs of run " + runId);
    }

    /** The jobs of these kinds enqueued after {@code mark}, however many there are. */
    public Selection since(long mark, String... kinds) {
        return new Selection("id > ? AND kind = ANY(?)", List.of(mark, kinds), false,
                String.join("/", kinds) + " jobs after job " + mark);
    }

    /** Some jobs, chosen by a condition on the jobs table. */
    public final class Selection {

        private final String where;
        private final List<Object> parameters;
        private final boolean atLeastOne;
        private final String description;

        private Selection(String where, List<Object> parameters, boolean atLeastOne, String description) {
            this.where = where;
            this.parameters = parameters;
            this.atLeastOne = atLeastOne;
            this.description = description;
        }

        /** Waits until every selected job has succeeded or died. */
        public Selection awaitFinished() {
            return awaitFinished(Waits.PATIENCE);
        }

        public Selection awaitFinished(Duration patience) {
            Waits.poll(patience, () -> finished() ? Boolean.TRUE : null,
                    () -> description + " to finish; still pending: " + pending());
            return this;
        }

        /**
         * Like {@link #awaitFinished()}, but makes the selected queued jobs due at once as it goes: a
         * cancelled run's next batch, enqueued throttled by the batch in flight, then ends now instead
         * of after its delay, and so do retries waiting out their backoff.
         */
        public Selection drain() {
            Waits.poll(Waits.PATIENCE, () -> {
                db.execute("UPDATE jobs SET run_at = now() WHERE " + where + " AND state = 'queued'", args());
                return finished() ? Boolean.TRUE : null;
            }, () -> description + " to drain; still pending: " + pending());
            return this;
        }

        /** How many of the selected jobs died. */
        public long dead() {
            return db.count("SELECT count(*) FROM jobs WHERE " + where + " AND state = 'dead'", args());
        }

        private boolean finished() {
            if (atLeastOne && db.count("SELECT count(*) FROM jobs WHERE " + where, args()) == 0) {
                return false;
            }
            return db.count("SELECT count(*) FROM jobs WHERE " + where + PENDING, args()) == 0;
        }

        private List<Object> pending() {
            List<Object> rows = new ArrayList<>(db.column("SELECT id || ' ' || kind || ' ' || state || ', attempt '"
                    + " || attempts || ', due ' || run_at || coalesce(', ' || last_error, '') FROM jobs WHERE "
                    + where + PENDING + " ORDER BY id LIMIT 10", args()));
            if (rows.isEmpty() && atLeastOne) {
                rows.add("none enqueued yet");
            }
            return rows;
        }

        private Object[] args() {
            return parameters.toArray();
        }
    }
}

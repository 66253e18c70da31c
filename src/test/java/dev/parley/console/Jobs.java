package dev.parley.console;

import dev.parley.support.Db;

/** Waiting for the background pipeline, so that one test's jobs do not run into the next. */
final class Jobs {

    private Jobs() {
    }

    /** Until no moderation, embedding or reindex job is queued or running (due within a minute). */
    static void awaitIdle(Db db) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (db.count("SELECT count(*) FROM jobs WHERE kind IN ('embed', 'moderate', 'reindex')"
                + " AND state IN ('queued', 'running') AND run_at < now() + interval '1 minute'") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("jobs did not drain");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

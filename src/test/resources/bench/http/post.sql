-- The SQL Parley runs for one POST /api/threads/{id}/posts, statement for statement, as the
-- service's log shows it (log_statement = all): the caller's account is read in one autocommitted
-- statement (roles and suspension apply at once), then one transaction locks the thread row,
-- inserts the post, queues its moderation job (whose insert trigger notifies the workers) and records
-- the post.created event in the outbox (whose deferred trigger, at COMMIT, takes the outbox's
-- advisory lock, gives the event its commit-order id and notifies the event streams). The
-- response is built from the inserted row: nothing is read back. The thread's UPDATE (published
-- count, last activity) happens later, in the moderation job, when the post is published.
-- The job's kind is not "moderate" so that the service's workers, running beside, leave these rows
-- alone: the baseline measures the request's SQL, not the background work.
-- (The job's JSON is built with jsonb_build_object: pgbench would take the colons of a JSON literal
-- for variables.) Checked against the log on 2026-11-29: every column the service names and
-- returns, including RETURNING * of the inserts; the outbox insert (added with V19): its values and
-- returned columns checked on 2026-11-29 against a loopback capture of one reply. Variables (pgbench -D): umin..umax the bench users' ids, tmin..tmax the baseline's threads.
\set uid random(:umin, :umax)
\set tid random(:tmin, :tmax)
SELECT id, username, email, password_hash, role, suspended_at, suspended_by, suspension_reason, created_at,
       trust_level, trust_level_locked
  FROM users WHERE id = :uid;
BEGIN;
SELECT t.id, t.category_id, c.slug AS category_slug, t.author_id, u.username AS author_username, t.title,
       t.locked, t.pinned, t.visible, t.post_count, t.created_at, t.last_activity_at
  FROM threads t
  JOIN categories c ON c.id = t.category_id
  JOIN users u ON u.id = t.author_id
 WHERE t.id = :tid FOR UPDATE OF t;
INSERT INTO posts (thread_id, author_id, body, status, score, version, created_at, edited_at, deleted_at, deleted_by)
VALUES (:tid, :uid, 'Benchmark reply about espresso grinders and how fine to grind the beans for a morning cup', 'pending',
        0, 1, now(), NULL, NULL, NULL)
RETURNING id AS post_id, thread_id, author_id, body, status, score, version, created_at, edited_at, deleted_at, deleted_by \gset
INSERT INTO jobs (kind, payload, unique_key, max_attempts, run_at, created_at)
VALUES ('bench-baseline', jsonb_build_object('postId', :post_id::bigint, 'version', 1, 'rescan', false, 'provider', 'rules',
                                          'subject', 'post'),
        :post_id::text || '@1', 5, now(), now())
ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL AND state = 'queued' AND attempts = 0
DO NOTHING
RETURNING *;
INSERT INTO "outbox_events" ("id", "type", "audience", "thread_id", "post_id", "item_id", "detail", "occurred_at")
VALUES (NULL, 'post.created', 'staff', :tid, :post_id, NULL, NULL, now())
RETURNING *;
COMMIT;

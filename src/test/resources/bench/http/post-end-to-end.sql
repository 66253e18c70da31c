-- Everything PostgreSQL does for one reply, end to end, statement for statement as the service's log
-- shows it (log_statement = all) for a reply posted alone (a claimed batch of one): the request
-- (post.sql's account read, then thread lock, post insert, moderation job and outbox event in one
-- transaction), the
-- moderation worker (claim; the post and its texts read; rules and policy read; one transaction that
-- locks the post, checks for a human verdict, reads the author's trust standing, records the decision,
-- records the decision's and the publication's outbox events (V19: each row's deferred trigger takes
-- the outbox's advisory lock, gives it its commit-order id and notifies at COMMIT), publishes the post,
-- updates its thread, queues its embedding, closes any review item and writes the audit row; the job
-- marked done), then the embedding worker (claim; the post, the active model and
-- the stored digests read; the chunk, the keyword document and the stale-chunk delete in one
-- transaction; the job marked done). The model's own time is not here: the benchmark measures it
-- in-process for the same texts and adds it. Under load the service shares the claims, reads and
-- completions among up to a batch of posts; this script pays them for every post.
-- The jobs' kinds are the client's own ("bench-e2e-<client>"), so that the service's workers leave
-- them alone and each client claims the job it queued, as a worker would with the queue to itself.
-- The vector is random (the model's time is counted apart); PostgreSQL indexes it in the model's HNSW
-- index as it would a real one. JSON is built with jsonb_build_object (pgbench would read the colons
-- of a JSON literal as variables). Variables (pgbench -D): umin..umax the bench users' ids,
-- tmin..tmax the baseline's threads.
\set uid random(:umin, :umax)
\set tid random(:tmin, :tmax)
-- ---------------------------------------------------------------- the request (as post.sql)
SELECT id, username, email, password_hash, role, suspended_at, created_at, trust_level, trust_level_locked
  FROM users WHERE id = :uid;
BEGIN;
SELECT t.id, t.category_id, c.slug AS category_slug, t.author_id, u.username AS author_username, t.title,
       t.locked, t.pinned, t.visible, t.post_count, t.created_at, t.last_activity_at
  FROM threads t
  JOIN categories c ON c.id = t.category_id
  JOIN users u ON u.id = t.author_id
 WHERE t.id = :tid FOR UPDATE OF t;
INSERT INTO posts (thread_id, author_id, body, status, created_at)
VALUES (:tid, :uid, 'Benchmark reply about espresso grinders and how fine to grind the beans for a morning cup', 'pending', now())
RETURNING id AS post_id, thread_id, author_id, body, status, score, version, created_at, edited_at \gset
INSERT INTO jobs (kind, payload, unique_key, max_attempts, run_at, created_at)
VALUES ('bench-e2e-' || :client_id::text, jsonb_build_object('postId', :post_id::bigint, 'version', 1, 'rescan', false, 'provider', 'rules', 'subject', 'post'),
        :post_id::text || '@1', 5, now(), now())
ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL AND state = 'queued' AND attempts = 0
DO NOTHING
RETURNING id;
INSERT INTO "outbox_events" ("id", "type", "audience", "thread_id", "post_id", "item_id", "detail", "occurred_at")
VALUES (NULL, 'post.created', 'staff', :tid, :post_id, NULL, NULL, now())
RETURNING *;
COMMIT;
-- ---------------------------------------------------------------- moderation: claim
BEGIN;
UPDATE jobs
   SET state = 'running', attempts = attempts + 1, locked_by = 'bench', lease_until = now() + interval '30 seconds',
       lease_token = gen_random_uuid(), started_at = COALESCE(started_at, now())
 WHERE id IN (SELECT id FROM jobs
               WHERE state = 'queued' AND kind = 'bench-e2e-' || :client_id::text AND run_at <= now()
               ORDER BY run_at, id
               LIMIT 16
               FOR UPDATE SKIP LOCKED)
RETURNING id AS mod_job, lease_token AS mod_token \gset
COMMIT;
-- the texts awaiting a verdict, the rules and the policy
BEGIN READ ONLY;
SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
       p.score, p.version, p.created_at, p.edited_at, t.title AS thread_title, c.slug AS category_slug,
       p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = p.thread_id) AS first_post
  FROM posts p
  JOIN users u ON u.id = p.author_id
  JOIN threads t ON t.id = p.thread_id
  JOIN categories c ON c.id = t.category_id
 WHERE p.id = ANY (ARRAY[:post_id::bigint]);
COMMIT;
BEGIN READ ONLY;
SELECT rule_row_."id",rule_row_."pattern",rule_row_."kind",rule_row_."category",rule_row_."score"
  FROM "moderation_rules" rule_row_ ORDER BY rule_row_."id" ASC;
COMMIT;
BEGIN READ ONLY;
SELECT policy_row_."version",policy_row_."policy",policy_row_."created_by",policy_row_."created_at"
  FROM "moderation_policies" policy_row_ ORDER BY policy_row_."version" DESC LIMIT 1;
COMMIT;
-- the decision, applied
BEGIN;
SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
       p.score, p.version, p.created_at, p.edited_at, t.title AS thread_title, c.slug AS category_slug,
       p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = p.thread_id) AS first_post
  FROM posts p
  JOIN users u ON u.id = p.author_id
  JOIN threads t ON t.id = p.thread_id
  JOIN categories c ON c.id = t.category_id
 WHERE p.id = ANY (ARRAY[:post_id::bigint]) ORDER BY p.id FOR UPDATE OF p;
SELECT h.post_id, h.subject, h.post_version
  FROM unnest(ARRAY[:post_id::bigint], ARRAY['post'], ARRAY[1]) AS h (post_id, subject, post_version)
 WHERE EXISTS (SELECT 1 FROM review_items r
                WHERE r.post_id = h.post_id AND r.subject = h.subject AND r.post_version = h.post_version
                  AND r.resolved_by IS NOT NULL AND r.resolution IN ('approve', 'reject', 'uphold', 'overturn'));
SELECT id, username, role, trust_level, trust_level_locked, created_at FROM users WHERE id = ANY (ARRAY[:uid::bigint]);
SELECT count(*) FROM posts WHERE author_id = :uid AND status = 'published' AND id <> :post_id;
SELECT at FROM (
    SELECT d.created_at AS at FROM moderation_decisions d JOIN posts p ON p.id = d.post_id
     WHERE p.author_id = :uid AND p.status <> 'published' AND d.decision = 'rejected'
    UNION ALL
    SELECT r.resolved_at FROM review_items r JOIN posts p ON p.id = r.post_id
     WHERE p.author_id = :uid AND p.status <> 'published' AND r.resolution = 'reject'
) rejections ORDER BY at DESC LIMIT 1;
INSERT INTO moderation_decisions
       (post_id, subject, post_version, provider, model, scores, policy_version, fired, decision,
        unmoderated, created_at, rules)
VALUES (:post_id, 'post', 1, 'rules', 'rules', CAST('{}' AS jsonb), 0,
        CAST('[]' AS jsonb), 'published', false, now(), CAST('[]' AS jsonb))
ON CONFLICT (post_id, subject, post_version) DO UPDATE
   SET provider = EXCLUDED.provider, model = EXCLUDED.model, scores = EXCLUDED.scores,
       policy_version = EXCLUDED.policy_version, fired = EXCLUDED.fired,
       decision = EXCLUDED.decision, unmoderated = EXCLUDED.unmoderated, created_at = EXCLUDED.created_at,
       rules = EXCLUDED.rules
 WHERE moderation_decisions.unmoderated
RETURNING *;
INSERT INTO "outbox_events" ("id", "type", "audience", "thread_id", "post_id", "item_id", "detail", "occurred_at")
VALUES (NULL, 'decision.made', 'staff', NULL, :post_id, NULL, 'published', now())
RETURNING *;
SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
       p.score, p.version, p.created_at, p.edited_at
  FROM posts p
  JOIN users u ON u.id = p.author_id
 WHERE p.id = :post_id FOR UPDATE OF p;
UPDATE "posts" SET "status" = 'published', "deleted_at" = NULL, "deleted_by" = NULL WHERE ("id" = :post_id);
INSERT INTO "outbox_events" ("id", "type", "audience", "thread_id", "post_id", "item_id", "detail", "occurred_at")
VALUES (NULL, 'post.published', 'public', :tid, :post_id, NULL, '1', now())
RETURNING *;
SELECT id FROM posts WHERE thread_id = :tid ORDER BY id LIMIT 1;
UPDATE threads
   SET post_count = post_count + 1,
       last_activity_at = GREATEST(last_activity_at, COALESCE(now(), last_activity_at)),
       visible = COALESCE(NULL, visible)
 WHERE id = :tid;
INSERT INTO jobs (kind, payload, unique_key, max_attempts, run_at, created_at)
VALUES ('bench-e2e-' || :client_id::text, jsonb_build_object('postId', :post_id::bigint, 'version', 1),
        'embed-' || :post_id::text || '@1', 8, now(), now())
ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL AND state = 'queued' AND attempts = 0
DO NOTHING
RETURNING *;
UPDATE review_items SET state = 'resolved', resolution = 'superseded', resolved_at = now()
 WHERE post_id = :post_id AND subject = 'post' AND state <> 'resolved';
INSERT INTO "moderation_audit" ("at","actor_id","actor","action","post_id","detail")
VALUES (now(), NULL, 'system', 'decision', :post_id,
        jsonb_build_object('version', 1, 'decision', 'published', 'provider', 'rules', 'categories', '[]'::jsonb, 'policyVersion', 0))
RETURNING *;
COMMIT;
-- moderation job done
BEGIN;
UPDATE jobs SET state = 'succeeded', finished_at = now(), locked_by = NULL, lease_until = NULL
  FROM unnest(ARRAY[:mod_job::bigint], ARRAY[:mod_token::uuid]) AS done(id, lease_token)
 WHERE jobs.id = done.id AND jobs.state = 'running' AND jobs.lease_token = done.lease_token
RETURNING jobs.id;
COMMIT;
-- ---------------------------------------------------------------- embedding: claim
BEGIN;
UPDATE jobs
   SET state = 'running', attempts = attempts + 1, locked_by = 'bench', lease_until = now() + interval '30 seconds',
       lease_token = gen_random_uuid(), started_at = COALESCE(started_at, now())
 WHERE id IN (SELECT id FROM jobs
               WHERE state = 'queued' AND kind = 'bench-e2e-' || :client_id::text AND run_at <= now()
               ORDER BY run_at, id
               LIMIT 16
               FOR UPDATE SKIP LOCKED)
RETURNING id AS emb_job, lease_token AS emb_token \gset
COMMIT;
-- the post, the models being indexed, the stored digests
BEGIN READ ONLY;
SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
       p.score, p.version, p.created_at, p.edited_at, t.title AS thread_title, c.slug AS category_slug,
       p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = p.thread_id) AS first_post
  FROM posts p
  JOIN users u ON u.id = p.author_id
  JOIN threads t ON t.id = p.thread_id
  JOIN categories c ON c.id = t.category_id
 WHERE p.id = ANY (ARRAY[:post_id::bigint]);
COMMIT;
BEGIN READ ONLY;
SELECT search_settings$_setting_."value" FROM "search_settings" search_settings$_setting_
 WHERE (search_settings$_setting_."key" = 'active_model');
SELECT * FROM reindex_runs WHERE state = 'running' ORDER BY id;
COMMIT;
BEGIN READ ONLY;
SELECT post_id, chunk, digest FROM post_embeddings WHERE model = 'all-minilm-l6-v2' AND post_id = ANY (ARRAY[:post_id::bigint]);
COMMIT;
-- the chunk, the stale chunks, the keyword document
BEGIN;
INSERT INTO post_embeddings (model, post_id, chunk, post_version, digest, snippet, embedding, embedded_at)
SELECT 'all-minilm-l6-v2', u.post_id, u.chunk, u.post_version, u.digest, u.snippet, u.embedding, now()
  FROM unnest(ARRAY[:post_id::bigint], ARRAY[0], ARRAY[1], ARRAY[md5(:post_id::text) || md5(:post_id::text)],
              ARRAY['Benchmark reply about espresso grinders and how fine to grind the beans for a morning cup'],
              ARRAY[(SELECT array_agg(random()::real) FROM generate_series(1, 384))::vector])
       AS u (post_id, chunk, post_version, digest, snippet, embedding)
ON CONFLICT (model, post_id, chunk) DO UPDATE
   SET post_version = EXCLUDED.post_version, digest = EXCLUDED.digest, snippet = EXCLUDED.snippet,
       embedding = EXCLUDED.embedding, embedded_at = EXCLUDED.embedded_at;
DELETE FROM post_embeddings e
 USING unnest(ARRAY[:post_id::bigint], ARRAY[1]) AS d (post_id, first_unused)
 WHERE e.model = 'all-minilm-l6-v2' AND e.post_id = d.post_id AND e.chunk >= d.first_unused;
INSERT INTO search_documents (post_id, post_version, document, updated_at)
SELECT u.post_id, u.version, setweight(to_tsvector('english', coalesce(u.title, '')), 'A')
                             || setweight(to_tsvector('english', u.body), 'B'), now()
  FROM unnest(ARRAY[:post_id::bigint], ARRAY[1], ARRAY[NULL::text],
              ARRAY['Benchmark reply about espresso grinders and how fine to grind the beans for a morning cup'])
       AS u (post_id, version, title, body)
ON CONFLICT (post_id) DO UPDATE
   SET post_version = EXCLUDED.post_version, document = EXCLUDED.document,
       updated_at = EXCLUDED.updated_at;
COMMIT;
-- embedding job done
BEGIN;
UPDATE jobs SET state = 'succeeded', finished_at = now(), locked_by = NULL, lease_until = NULL
  FROM unnest(ARRAY[:emb_job::bigint], ARRAY[:emb_token::uuid]) AS done(id, lease_token)
 WHERE jobs.id = done.id AND jobs.state = 'running' AND jobs.lease_token = done.lease_token
RETURNING jobs.id;
COMMIT;

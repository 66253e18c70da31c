-- Grows a search-benchmark database to :copies times its posts for the reindex benchmark, without
-- the model: loading 100,000 posts through scripts/bench-search.sh embeds each one (hours on a busy
-- 2-core machine), while a reindex run re-embeds them all anyway. Every thread, post, chunk and
-- keyword document that exists is copied :copies - 1 times under new ids; each copied vector is the
-- original plus a little noise (so the HNSW graph holds 100,000 distinct, clustered points like the
-- model's, not exact duplicates). The reindex then replaces every vector with the model's own.
-- psql -v copies=28 -f reindex-replicate.sql  (run once, on a database loaded by bench-search.sh)
\set ON_ERROR_STOP on
SELECT max(id) AS t FROM threads \gset
SELECT max(id) AS p FROM posts \gset
SELECT pg_get_indexdef('post_embeddings_hnsw_all_minilm_l6_v2'::regclass) AS hnsw \gset
-- Building the HNSW index once at the end is much cheaper than inserting 100,000 points one by one
-- (with room for the whole graph: about 200 MB at 100,000 points of 384 dimensions; a session setting).
SET maintenance_work_mem = '512MB';
DROP INDEX post_embeddings_hnsw_all_minilm_l6_v2;
INSERT INTO threads (id, category_id, author_id, title, locked, pinned, visible, post_count, created_at, last_activity_at)
OVERRIDING SYSTEM VALUE
SELECT t.id + k * :t, t.category_id, t.author_id, t.title, t.locked, t.pinned, t.visible, t.post_count, t.created_at,
       t.last_activity_at
  FROM threads t, generate_series(1, :copies - 1) k WHERE t.id <= :t;
INSERT INTO posts (id, thread_id, author_id, body, status, score, version, created_at)
OVERRIDING SYSTEM VALUE
SELECT p.id + k * :p, p.thread_id + k * :t, p.author_id, p.body, p.status, p.score, p.version, p.created_at
  FROM posts p, generate_series(1, :copies - 1) k WHERE p.id <= :p;
INSERT INTO post_embeddings (model, post_id, chunk, post_version, digest, snippet, embedding, embedded_at)
SELECT e.model, e.post_id + k * :p, e.chunk, e.post_version, e.digest, e.snippet,
       (SELECT array_agg(x + (random() - 0.5) * 0.01 ORDER BY i) FROM unnest(e.embedding::real[]) WITH ORDINALITY AS v (x, i))::vector,
       e.embedded_at
  FROM post_embeddings e, generate_series(1, :copies - 1) k WHERE e.post_id <= :p;
INSERT INTO search_documents (post_id, post_version, document, updated_at)
SELECT d.post_id + k * :p, d.post_version, d.document, d.updated_at
  FROM search_documents d, generate_series(1, :copies - 1) k WHERE d.post_id <= :p;
SELECT setval(pg_get_serial_sequence('threads', 'id'), (SELECT max(id) FROM threads));
SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts));
:hnsw;
VACUUM ANALYZE threads, posts, post_embeddings, search_documents;
SELECT count(*) AS posts FROM posts;

-- The SQL of an anonymous GET /api/threads/{id}/posts (the first page, 20 posts, fetched as 21 to
-- know whether there is a next page), as the service runs it. Variables: tmin..tmax the threads read;
-- after, viewer and staff carry the service's parameters for an anonymous first page (0, -1, 0), as
-- parameters rather than constants so that PostgreSQL plans the same statement.
\set tid random(:tmin, :tmax)
\set after 0
\set viewer -1
\set staff 0
BEGIN READ ONLY;
SELECT t.id, t.category_id, c.slug AS category_slug, t.author_id, u.username AS author_username, t.title,
       t.locked, t.pinned, t.visible, t.post_count, t.created_at, t.last_activity_at
  FROM threads t
  JOIN categories c ON c.id = t.category_id
  JOIN users u ON u.id = t.author_id
 WHERE t.id = :tid;
SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status, p.score,
       p.version, p.created_at, p.edited_at
  FROM posts p
  JOIN users u ON u.id = p.author_id
 WHERE p.thread_id = :tid AND p.id > :after AND (p.status = 'published' OR p.author_id = :viewer OR :staff::int::boolean)
 ORDER BY p.id LIMIT 21;
COMMIT;

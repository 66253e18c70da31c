-- The SQL of an anonymous GET /api/threads/{id} (the thread and its first post), as the service
-- runs it: one autocommitted statement (PublicReads.threadAndFirstPost). Variables: tmin..tmax the
-- threads read.
\set tid random(:tmin, :tmax)
SELECT t.id, t.category_id, c.slug AS category_slug, t.author_id, u.username AS author_username, t.title,
       t.locked, t.pinned, t.visible, t.post_count, t.created_at, t.last_activity_at, first_post.*
  FROM threads t
  JOIN categories c ON c.id = t.category_id
  JOIN users u ON u.id = t.author_id
  LEFT JOIN LATERAL (SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
                            p.score, p.version, p.created_at, p.edited_at
                       FROM posts p
                       JOIN users u ON u.id = p.author_id
                      WHERE p.thread_id = t.id ORDER BY p.id LIMIT 1) first_post ON true
 WHERE t.id = :tid;

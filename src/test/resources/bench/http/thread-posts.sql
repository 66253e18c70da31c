-- The SQL of an anonymous GET /api/threads/{id}/posts (the first page, 20 posts, fetched as 21 to
-- know whether there is a next page), as the service runs it: one autocommitted statement
-- (PublicReads.postsForViewer) that reads the thread's visibility with the page. Variables: tmin..tmax
-- the threads read; after, viewer, staff and fetch carry the service's parameters for an anonymous
-- first page (0, -1, false, 21), as parameters rather than constants so that PostgreSQL plans the
-- same statement.
\set tid random(:tmin, :tmax)
\set after 0
\set viewer -1
\set staff false
\set fetch 21
SELECT t.author_id, t.visible, page.*
  FROM threads t
  LEFT JOIN LATERAL (SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
                            p.score, p.version, p.created_at, p.edited_at
                       FROM posts p
                       JOIN users u ON u.id = p.author_id
                      WHERE p.thread_id = t.id AND p.id > :after
                        AND (p.status = 'published' OR p.author_id = :viewer OR :staff)
                      ORDER BY p.id LIMIT :fetch) page ON true
 WHERE t.id = :tid;

package dev.parley.forum;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@Singleton
class PostRepository {

    private static final String SELECT = """
            SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status, p.score,
                   p.version, p.created_at, p.edited_at
              FROM posts p
              JOIN users u ON u.id = p.author_id
            """;

    private final Sql sql;

    PostRepository(Sql sql) {
        this.sql = sql;
    }

    ForumPost insert(long threadId, long authorId, String body, PostStatus status, Instant now) {
        long id = sql.one("INSERT INTO posts (thread_id, author_id, body, status, created_at)"
                        + " VALUES (?, ?, ?, ?, ?) RETURNING id",
                s -> {
                    s.setLong(1, threadId);
                    s.setLong(2, authorId);
                    s.setString(3, body);
                    s.setString(4, status.wire());
                    s.setTimestamp(5, Rows.timestamp(now));
                }, r -> r.getLong(1)).orElseThrow();
        return findById(id).orElseThrow();
    }

    Optional<ForumPost> findById(long id) {
        return sql.one(SELECT + " WHERE p.id = ?", s -> s.setLong(1, id), PostRepository::map);
    }

    /** Locks the post row for the rest of the transaction (edits, deletes and votes serialise on it). */
    Optional<ForumPost> findByIdForUpdate(long id) {
        return sql.one(SELECT + " WHERE p.id = ? FOR UPDATE OF p", s -> s.setLong(1, id), PostRepository::map);
    }

    /** A post with what other features need of its thread: title, category, and whether it opens it. */
    record InThread(ForumPost post, String threadTitle, String categorySlug, boolean firstPost) {
    }

    /**
     * Posts by id with their thread's title and category, in one statement for a whole batch;
     * {@code lock} takes their row locks for the rest of the transaction.
     */
    List<InThread> findInThread(Collection<Long> ids, boolean lock) {
        return sql.list("""
                SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status, p.score,
                       p.version, p.created_at, p.edited_at, t.title AS thread_title, c.slug AS category_slug,
                       p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = p.thread_id) AS first_post
                  FROM posts p
                  JOIN users u ON u.id = p.author_id
                  JOIN threads t ON t.id = p.thread_id
                  JOIN categories c ON c.id = t.category_id
                 WHERE p.id = ANY (?)""" + (lock ? " FOR UPDATE OF p" : ""),
                s -> s.setArray(1, s.getConnection().createArrayOf("bigint", ids.toArray())),
                r -> new InThread(map(r), r.getString("thread_title"), r.getString("category_slug"),
                        r.getBoolean("first_post")));
    }

    /** The id of the thread's first post: the one that carries the thread's visibility. */
    Optional<Long> firstPostId(long threadId) {
        return sql.one("SELECT id FROM posts WHERE thread_id = ? ORDER BY id LIMIT 1",
                s -> s.setLong(1, threadId), r -> r.getLong(1));
    }

    /**
     * A keyset page of a thread's posts, oldest first, after post id {@code afterId} (0 for the first
     * page): published posts, plus the viewer's own posts in any status, plus everything for staff.
     */
    List<ForumPost> listForViewer(long threadId, long afterId, long viewerId, boolean staff, int fetch) {
        return sql.list(SELECT + """
                 WHERE p.thread_id = ? AND p.id > ? AND (p.status = 'published' OR p.author_id = ? OR ?)
                 ORDER BY p.id LIMIT ?""",
                s -> {
                    s.setLong(1, threadId);
                    s.setLong(2, afterId);     // cursor: last post id seen
                    s.setLong(3, viewerId);    // the viewer's own posts show in every status (-1: anonymous)
                    s.setBoolean(4, staff);    // moderators see every status
                    s.setInt(5, fetch);
                }, PostRepository::map);
    }

    void updateStatus(long id, PostStatus status, Instant deletedAt, Long deletedBy) {
        sql.update("UPDATE posts SET status = ?, deleted_at = ?, deleted_by = ? WHERE id = ?", s -> {
            s.setString(1, status.wire());
            s.setTimestamp(2, Rows.timestamp(deletedAt));  // set only when deleting
            s.setObject(3, deletedBy);
            s.setLong(4, id);
        });
    }

    /** Replaces the text and bumps the version. */
    void updateBody(long id, String body, Instant editedAt) {
        sql.update("UPDATE posts SET body = ?, edited_at = ?, version = version + 1 WHERE id = ?", s -> {
            s.setString(1, body);
            s.setTimestamp(2, Rows.timestamp(editedAt));
            s.setLong(3, id);
        });
    }

    int addToScore(long id, int delta) {
        return sql.one("UPDATE posts SET score = score + ? WHERE id = ? RETURNING score", s -> {
            s.setInt(1, delta);
            s.setLong(2, id);
        }, r -> r.getInt(1)).orElseThrow();
    }

    private static ForumPost map(ResultSet row) throws SQLException {
        return new ForumPost(row.getLong("id"), row.getLong("thread_id"), row.getLong("author_id"),
                row.getString("author_username"), row.getString("body"), PostStatus.fromWire(row.getString("status")),
                row.getInt("score"), row.getInt("version"), Rows.instant(row, "created_at"),
                Rows.instant(row, "edited_at"));
    }
}

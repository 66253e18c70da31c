package dev.parley.forum;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Singleton
class ThreadRepository {

    private static final String SELECT = """
            SELECT t.id, t.category_id, c.slug AS category_slug, t.author_id, u.username AS author_username, t.title,
                   t.locked, t.pinned, t.visible, t.post_count, t.created_at, t.last_activity_at
              FROM threads t
              JOIN categories c ON c.id = t.category_id
              JOIN users u ON u.id = t.author_id
            """;

    private final Sql sql;

    ThreadRepository(Sql sql) {
        this.sql = sql;
    }

    /** Inserts a thread that stays invisible until its first post is published. Returns its id. */
    long insert(long categoryId, long authorId, String title, Instant now) {
        return sql.one("INSERT INTO threads (category_id, author_id, title, created_at, last_activity_at)"
                        + " VALUES (?, ?, ?, ?, ?) RETURNING id",
                s -> {
                    s.setLong(1, categoryId);
                    s.setLong(2, authorId);
                    s.setString(3, title);
                    s.setTimestamp(4, Rows.timestamp(now));   // created_at
                    s.setTimestamp(5, Rows.timestamp(now));   // last_activity_at
                }, r -> r.getLong(1)).orElseThrow();
    }

    Optional<ForumThread> findById(long id) {
        return sql.one(SELECT + " WHERE t.id = ?", s -> s.setLong(1, id), ThreadRepository::map);
    }

    /** Locks the thread row for the rest of the transaction, so replies and lock changes serialise. */
    Optional<ForumThread> findByIdForUpdate(long id) {
        return sql.one(SELECT + " WHERE t.id = ? FOR UPDATE OF t", s -> s.setLong(1, id), ThreadRepository::map);
    }

    /**
     * Visible threads of a category, pinned first, then by last activity, newest first: a keyset page
     * that starts after {@code after} (null for the first page).
     */
    List<ForumThread> listVisible(long categoryId, ThreadKey after, int fetch) {
        if (after == null) {
            return sql.list(SELECT + """
                     WHERE t.category_id = ? AND t.visible
                     ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT ?""",
                    s -> {
                        s.setLong(1, categoryId);
                        s.setInt(2, fetch);
                    }, ThreadRepository::map);
        }
        return sql.list(SELECT + """
                 WHERE t.category_id = ? AND t.visible AND (t.pinned, t.last_activity_at, t.id) < (?, ?, ?)
                 ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT ?""",
                s -> {
                    s.setLong(1, categoryId);
                    s.setBoolean(2, after.pinned());                       // last row's pinned
                    s.setTimestamp(3, Rows.timestamp(after.lastActivityAt())); // last row's activity
                    s.setLong(4, after.id());                              // last row's id
                    s.setInt(5, fetch);
                }, ThreadRepository::map);
    }

    void updateTitle(long id, String title) {
        sql.update("UPDATE threads SET title = ? WHERE id = ?", s -> {
            s.setString(1, title);
            s.setLong(2, id);
        });
    }

    void updateFlags(long id, boolean locked, boolean pinned) {
        sql.update("UPDATE threads SET locked = ?, pinned = ? WHERE id = ?", s -> {
            s.setBoolean(1, locked);
            s.setBoolean(2, pinned);
            s.setLong(3, id);
        });
    }

    /**
     * Applies one post's move into or out of the published state: the published count, the last
     * activity, and, for the first post, whether the thread is visible at all.
     */
    void applyPublication(long id, int countDelta, Instant activityAt, Boolean visible) {
        sql.update("""
                UPDATE threads
                   SET post_count = post_count + ?,
                       last_activity_at = GREATEST(last_activity_at, COALESCE(?, last_activity_at)),
                       visible = COALESCE(?, visible)
                 WHERE id = ?""", s -> {
            s.setInt(1, countDelta);                        // +1 published, -1 unpublished, 0 neither
            s.setTimestamp(2, Rows.timestamp(activityAt));  // new activity time, or null to keep
            s.setObject(3, visible);                        // first post's visibility, or null to keep
            s.setLong(4, id);
        });
    }

    private static ForumThread map(ResultSet row) throws SQLException {
        return new ForumThread(row.getLong("id"), row.getLong("category_id"), row.getString("category_slug"),
                row.getLong("author_id"), row.getString("author_username"), row.getString("title"),
                row.getBoolean("locked"), row.getBoolean("pinned"), row.getBoolean("visible"),
                row.getInt("post_count"), Rows.instant(row, "created_at"), Rows.instant(row, "last_activity_at"));
    }

    /** The sort key of the thread listing. */
    record ThreadKey(boolean pinned, Instant lastActivityAt, long id) {
    }
}

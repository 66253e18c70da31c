package dev.parley.forum;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements behind every public thread and post page, mapped by hand on the caller's
 * connection: Micronaut Data 4.14 builds a projection mapper on each call, which JFR showed as two
 * thirds of a read's CPU (thread reads fell from about 1,950 to 1,270/s at 16 clients). The SQL is the
 * repositories' own ({@link ThreadRepository#SELECT}, {@link PostRepository#SELECT}); writes and
 * everything off the hot path stay in the repositories.
 *
 * <p>The public reads run outside a transaction, each statement autocommitted on a connection the
 * caller holds with {@code @Connectable}: at PostgreSQL's READ COMMITTED every statement takes its own
 * snapshot inside a transaction too, so a read-only transaction added nothing but its BEGIN and COMMIT.
 */
@Singleton
class PublicReads {

    private final JdbcOperations jdbc;

    PublicReads(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ForumThread> thread(long id) {
        return jdbc.prepareStatement(ThreadRepository.SELECT + " WHERE t.id = ?", s -> {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(thread(r)) : Optional.<ForumThread>empty();
            }
        });
    }

    /** The thread's first post: the one that carries the thread's visibility. */
    Optional<ForumPost> firstPost(long threadId) {
        return jdbc.prepareStatement(PostRepository.SELECT + " WHERE p.thread_id = ? ORDER BY p.id LIMIT 1", s -> {
            s.setLong(1, threadId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(post(r)) : Optional.<ForumPost>empty();
            }
        });
    }

    /** {@link PostRepository#listForViewer}, the statement a page of a thread's posts runs. */
    List<ForumPost> postsForViewer(long threadId, long afterId, long viewerId, boolean staff, int fetch) {
        return jdbc.prepareStatement(PostRepository.SELECT + """
                 WHERE p.thread_id = ? AND p.id > ?
                   AND (p.status = 'published' OR p.author_id = ? OR ?)
                 ORDER BY p.id LIMIT ?""", s -> {
            s.setLong(1, threadId);
            s.setLong(2, afterId);     // cursor: the last post id seen, 0 for the first page
            s.setLong(3, viewerId);    // the viewer's own posts show in every status (-1: anonymous)
            s.setBoolean(4, staff);    // staff see every status
            s.setInt(5, fetch);
            List<ForumPost> posts = new ArrayList<>(fetch);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    posts.add(post(r));
                }
            }
            return posts;
        });
    }

    private static ForumThread thread(ResultSet r) throws SQLException {
        return new ForumThread(r.getLong("id"), r.getLong("category_id"), r.getString("category_slug"),
                r.getLong("author_id"), r.getString("author_username"), r.getString("title"), r.getBoolean("locked"),
                r.getBoolean("pinned"), r.getBoolean("visible"), r.getInt("post_count"), instant(r, "created_at"),
                instant(r, "last_activity_at"));
    }

    private static ForumPost post(ResultSet r) throws SQLException {
        return new ForumPost(r.getLong("id"), r.getLong("thread_id"), r.getLong("author_id"),
                r.getString("author_username"), r.getString("body"),
                PostStatus.valueOf(r.getString("post_status").toUpperCase(java.util.Locale.ROOT)), r.getInt("score"),
                r.getInt("version"), instant(r, "created_at"), instant(r, "edited_at"));
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp value = r.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

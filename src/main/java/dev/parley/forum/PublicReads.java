package dev.parley.forum;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The statements behind every public thread and post page, mapped by hand on the caller's
 * connection: Micronaut Data 4.14 builds a projection mapper on each call, which JFR showed as two
 * thirds of a read's CPU (thread reads fell from about 1,950 to 1,270/s at 16 clients). Writes and
 * everything off the hot path stay in the repositories.
 *
 * <p>Each page is one statement, so one round trip: the thread and its first post, or the thread's
 * visibility and a page of its posts, joined with {@code LEFT JOIN LATERAL}. They run outside a
 * transaction, autocommitted on a connection the caller holds with {@code @Connectable}: a single
 * statement reads one snapshot anyway, and at PostgreSQL's READ COMMITTED the earlier read-only
 * transaction gave each of its statements a snapshot of its own, so it added only BEGIN and COMMIT.
 */
@Singleton
class PublicReads {

    /** A thread with its first post, null when the thread has no post (never the case once created). */
    record ThreadAndFirstPost(ForumThread thread, ForumPost firstPost) {
    }

    /** What decides whether a viewer may see a thread, with a page of the posts the viewer may see. */
    record PostsOfThread(long threadAuthorId, boolean threadVisible, List<ForumPost> posts) {
    }

    // Columns 1-12 in the order of ThreadRepository.SELECT, then the first post's in the order of
    // PostRepository.SELECT: the mappers below read by position.
    private static final String THREAD_AND_FIRST_POST = """
            SELECT t.id, t.category_id, c.slug AS category_slug, t.author_id, u.username AS author_username, t.title,
                   t.locked, t.pinned, t.visible, t.post_count, t.created_at, t.last_activity_at, first_post.*
              FROM threads t
              JOIN categories c ON c.id = t.category_id
              JOIN users u ON u.id = t.author_id
              LEFT JOIN LATERAL (""" + PostRepository.SELECT + """
                 WHERE p.thread_id = t.id ORDER BY p.id LIMIT 1) first_post ON true
             WHERE t.id = ?""";

    // Columns 1-2 the thread's author and visibility, then a post's in the order of PostRepository.SELECT.
    private static final String POSTS_OF_THREAD = """
            SELECT t.author_id, t.visible, page.*
              FROM threads t
              LEFT JOIN LATERAL (""" + PostRepository.SELECT + """
                 WHERE p.thread_id = t.id AND p.id > ?
                   AND (p.status = 'published' OR p.author_id = ? OR ?)
                 ORDER BY p.id LIMIT ?) page ON true
             WHERE t.id = ?""";

    private final JdbcOperations jdbc;

    PublicReads(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The thread with its first post, the one that carries the thread's visibility. */
    Optional<ThreadAndFirstPost> threadAndFirstPost(long id) {
        return jdbc.prepareStatement(THREAD_AND_FIRST_POST, s -> {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.<ThreadAndFirstPost>empty();
                }
                return Optional.of(new ThreadAndFirstPost(thread(r), r.getObject(13) == null ? null : post(r, 13)));
            }
        });
    }

    /**
     * A page of a thread's posts as {@link PostRepository#listForViewer} reads it, with the thread's
     * visibility; empty when there is no such thread.
     */
    Optional<PostsOfThread> postsForViewer(long threadId, long afterId, long viewerId, boolean staff, int fetch) {
        return jdbc.prepareStatement(POSTS_OF_THREAD, s -> {
            s.setLong(1, afterId);     // cursor: the last post id seen, 0 for the first page
            s.setLong(2, viewerId);    // the viewer's own posts show in every status (-1: anonymous)
            s.setBoolean(3, staff);    // staff see every status
            s.setInt(4, fetch);
            s.setLong(5, threadId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.<PostsOfThread>empty();
                }
                long authorId = r.getLong(1);
                boolean visible = r.getBoolean(2);
                List<ForumPost> posts = new ArrayList<>(fetch);
                if (r.getObject(3) != null) {  // no post on this page: one row of the thread with nulls
                    do {
                        posts.add(post(r, 3));
                    } while (r.next());
                }
                return Optional.of(new PostsOfThread(authorId, visible, posts));
            }
        });
    }

    private static ForumThread thread(ResultSet r) throws SQLException {
        return new ForumThread(r.getLong(1), r.getLong(2), r.getString(3), r.getLong(4), r.getString(5),
                r.getString(6), r.getBoolean(7), r.getBoolean(8), r.getBoolean(9), r.getInt(10), instant(r, 11),
                instant(r, 12));
    }

    /** A post whose columns start at {@code first}, in the order of {@link PostRepository#SELECT}. */
    private static ForumPost post(ResultSet r, int first) throws SQLException {
        return new ForumPost(r.getLong(first), r.getLong(first + 1), r.getLong(first + 2), r.getString(first + 3),
                r.getString(first + 4), PostStatus.valueOf(r.getString(first + 5).toUpperCase(Locale.ROOT)),
                r.getInt(first + 6), r.getInt(first + 7), instant(r, first + 8), instant(r, first + 9));
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp value = r.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

package dev.parley.forum;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface PostRepository extends GenericRepository<PostRow, Long> {

    String SELECT = """
            SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
                   p.score, p.version, p.created_at, p.edited_at
              FROM posts p
              JOIN users u ON u.id = p.author_id
            """;
    String SELECT_IN_THREAD = """
            SELECT p.id, p.thread_id, p.author_id, u.username AS author_username, p.body, p.status AS post_status,
                   p.score, p.version, p.created_at, p.edited_at, t.title AS thread_title, c.slug AS category_slug,
                   p.id = (SELECT min(f.id) FROM posts f WHERE f.thread_id = p.thread_id) AS first_post
              FROM posts p
              JOIN users u ON u.id = p.author_id
              JOIN threads t ON t.id = p.thread_id
              JOIN categories c ON c.id = t.category_id
             WHERE p.id = ANY (:ids)""";

    PostRow save(PostRow post);

    /**
     * Inserts a post and returns it as read, built from the saved row and the author's name rather than
     * read back (a second statement that cost a fifth of a reply's time). {@code now} is cut to
     * PostgreSQL's microseconds so the post reads the same later.
     */
    default ForumPost insert(long threadId, long authorId, String authorUsername, String body, PostStatus status,
                             Instant now) {
        PostRow saved = save(PostRow.newPost(threadId, authorId, body, status, now.truncatedTo(ChronoUnit.MICROS)));
        return new ForumPost(saved.id(), threadId, authorId, authorUsername, body, saved.status(), saved.score(),
                saved.version(), saved.createdAt(), saved.editedAt());
    }

    @Query(SELECT + " WHERE p.id = :id")
    Optional<ForumPost> findById(long id);

    /** Locks the post row for the rest of the transaction (edits, deletes and votes serialise on it). */
    @Query(SELECT + " WHERE p.id = :id FOR UPDATE OF p")
    Optional<ForumPost> findByIdForUpdate(long id);

    /**
     * A post with what other features need of its thread: title, category, and whether it opens it
     * ({@code postStatus}: see {@link ForumPost}).
     */
    @Introspected
    record InThread(long id, long threadId, long authorId, String authorUsername, String body, PostStatus postStatus,
                    int score, int version, Instant createdAt, @Nullable Instant editedAt, String threadTitle,
                    String categorySlug, boolean firstPost) {

        ForumPost post() {
            return new ForumPost(id, threadId, authorId, authorUsername, body, postStatus, score, version, createdAt,
                    editedAt);
        }
    }

    /** Posts by id with their thread's title and category, in one statement for a whole batch. */
    @Query(SELECT_IN_THREAD)
    List<InThread> findInThread(Long[] ids);

    /** Like {@link #findInThread}, and takes the posts' row locks for the rest of the transaction. */
    @Query(SELECT_IN_THREAD + " FOR UPDATE OF p")
    List<InThread> lockInThread(Long[] ids);

    /**
     * Like {@link #lockInThread} for a batch, taking the locks in id order so that two batches that
     * share posts wait for each other instead of deadlocking.
     */
    @Query(SELECT_IN_THREAD + " ORDER BY p.id FOR UPDATE OF p")
    List<InThread> lockInThreadInOrder(Long[] ids);

    /**
     * Locks threads in id order: a batch's decisions then update several threads, and batches that take
     * those locks in one order cannot deadlock each other (or a reply waiting on one of them).
     */
    @Query("SELECT t.id FROM threads t WHERE t.id = ANY(:ids) ORDER BY t.id FOR UPDATE OF t")
    List<Long> lockThreadsInOrder(Long[] ids);

    /** When a post was first posted. */
    @Introspected
    record PostedAt(long id, Instant createdAt) {
    }

    /** The posting times of posts by id, without their text. */
    @Query("SELECT id, created_at FROM posts WHERE id = ANY (:ids)")
    List<PostedAt> postedAt(Long[] ids);

    /** The id of the thread's first post: the one that carries the thread's visibility. */
    @Query("SELECT id FROM posts WHERE thread_id = :threadId ORDER BY id LIMIT 1")
    Optional<Long> firstPostId(long threadId);

    /** Sets the status; {@code deletedAt} and {@code deletedBy} are set only when deleting. */
    void update(@Id long id, PostStatus status, @Nullable Instant deletedAt, @Nullable Long deletedBy);

    /** Replaces the text and bumps the version. */
    @Query("UPDATE posts SET body = :body, edited_at = :editedAt, version = version + 1 WHERE id = :id")
    void updateBody(long id, String body, Instant editedAt);

    @Query("UPDATE posts SET score = score + :delta WHERE id = :id RETURNING score")
    int addToScore(long id, int delta);
}

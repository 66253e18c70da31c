package dev.parley.forum;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TitleRevisionRepository extends GenericRepository<TitleRevisionRow, Long> {

    String SELECT_IN_THREAD = """
            SELECT r.thread_id, r.version, r.title, r.status AS title_status, r.author_id, r.created_at,
                   f.id AS first_post_id, c.slug AS category_slug, t.title AS current_title,
                   r.version = (SELECT max(n.version) FROM thread_title_revisions n WHERE n.thread_id = r.thread_id)
                       AS latest
              FROM thread_title_revisions r
              JOIN threads t ON t.id = r.thread_id
              JOIN categories c ON c.id = t.category_id
              JOIN posts f ON f.id = (SELECT min(p.id) FROM posts p WHERE p.thread_id = r.thread_id)
            """;

    /**
     * A title revision with what moderation needs of its thread: the first post it is keyed by, the
     * forum category, the public title, and whether no newer edit exists.
     */
    @Introspected
    record InThread(long threadId, int version, String title, String titleStatus, long authorId, Instant createdAt,
                    long firstPostId, String categorySlug, String currentTitle, boolean latest) {

        TitleStatus status() {
            return TitleStatus.fromWire(titleStatus);
        }
    }

    TitleRevisionRow save(TitleRevisionRow revision);

    @Query("SELECT COALESCE(max(version), 0) FROM thread_title_revisions WHERE thread_id = :threadId")
    int latestVersion(long threadId);

    /** The thread's newest title edit. */
    @Query(SELECT_IN_THREAD + " WHERE r.thread_id = :threadId ORDER BY r.version DESC LIMIT 1")
    Optional<InThread> latest(long threadId);

    /** Revision {@code version} of the thread that {@code firstPostId} opens. */
    @Query(SELECT_IN_THREAD + " WHERE f.id = :firstPostId AND r.version = :version")
    Optional<InThread> find(long firstPostId, int version);

    /**
     * Like {@link #find}, and locks the thread and the revision for the rest of the transaction: a
     * decision serialises with title edits, which lock the thread first.
     */
    @Query(SELECT_IN_THREAD + " WHERE f.id = :firstPostId AND r.version = :version FOR UPDATE OF t, r")
    Optional<InThread> lock(long firstPostId, int version);

    /** Marks the thread's edits still waiting for a verdict or a moderator as replaced by a newer one. */
    @Query("""
            UPDATE thread_title_revisions SET status = 'superseded'
             WHERE thread_id = :threadId AND status IN ('pending', 'flagged')""")
    void supersedeWaiting(long threadId);

    /** Sets the status (bound through the row's converter: a parameter named like the property). */
    @Query("UPDATE thread_title_revisions SET status = :status WHERE thread_id = :threadId AND version = :version")
    void updateStatus(long threadId, int version, TitleStatus status);
}

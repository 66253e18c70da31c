package dev.parley.forum;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ThreadRepository extends GenericRepository<ThreadRow, Long> {

    String SELECT = """
            SELECT t.id, t.category_id, c.slug AS category_slug, t.author_id, u.username AS author_username, t.title,
                   t.locked, t.pinned, t.visible, t.post_count, t.created_at, t.last_activity_at
              FROM threads t
              JOIN categories c ON c.id = t.category_id
              JOIN users u ON u.id = t.author_id
            """;
    String LISTING_ORDER = " ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT :fetch";

    ThreadRow save(ThreadRow thread);

    @Query(SELECT + " WHERE t.id = :id")
    Optional<ForumThread> findById(long id);

    /** Locks the thread row for the rest of the transaction, so replies and lock changes serialise. */
    @Query(SELECT + " WHERE t.id = :id FOR UPDATE OF t")
    Optional<ForumThread> findByIdForUpdate(long id);

    /**
     * Visible threads of a category, pinned first, then by last activity, newest first: a keyset page
     * that starts after {@code after} (null for the first page).
     */
    default List<ForumThread> listVisible(long categoryId, @Nullable ThreadKey after, int fetch) {
        return after == null ? listVisibleFirst(categoryId, fetch)
                : listVisibleAfter(categoryId, after.pinned(), after.lastActivityAt(), after.id(), fetch);
    }

    @Query(SELECT + " WHERE t.category_id = :categoryId AND t.visible" + LISTING_ORDER)
    List<ForumThread> listVisibleFirst(long categoryId, int fetch);

    // A row-value comparison, which the listing index serves directly; Micronaut Data's cursored
    // pages would expand it into ORs (see DESIGN.md).
    @Query(SELECT + " WHERE t.category_id = :categoryId AND t.visible"
            + " AND (t.pinned, t.last_activity_at, t.id) < (:pinned, :lastActivityAt, :id)" + LISTING_ORDER)
    List<ForumThread> listVisibleAfter(long categoryId, boolean pinned, Instant lastActivityAt, long id, int fetch);

    @Query("UPDATE threads SET title = :title WHERE id = :id")
    void updateTitle(long id, String title);

    @Query("UPDATE threads SET locked = :locked, pinned = :pinned WHERE id = :id")
    void updateFlags(long id, boolean locked, boolean pinned);

    /**
     * Applies one post's move into or out of the published state: the published count
     * ({@code countDelta} +1, -1 or 0), the last activity ({@code activityAt}, null to keep it) and,
     * for the first post, whether the thread is visible at all ({@code visible}, null to keep it).
     */
    @Query("""
            UPDATE threads
               SET post_count = post_count + :countDelta,
                   last_activity_at = GREATEST(last_activity_at, COALESCE(:activityAt, last_activity_at)),
                   visible = COALESCE(:visible, visible)
             WHERE id = :id""")
    void applyPublication(long id, int countDelta, @Nullable Instant activityAt, @Nullable Boolean visible);

    /** The sort key of the thread listing. */
    record ThreadKey(boolean pinned, Instant lastActivityAt, long id) {
    }
}

package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The review queue's items; reports live in {@link PostReportRepository}. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ReviewRepository extends GenericRepository<ReviewItemRow, Long> {

    /**
     * A review item with the names of the staff involved. Its enum columns arrive as text: Micronaut
     * Data applies an enum's attribute converter to projections too, and cannot run it there.
     */
    @Introspected
    record Item(long id, long postId, String subject, int postVersion, String forumCategory, String state,
                List<Reason> reasons,
                @Nullable Long claimedBy, @Nullable String claimedByName, Instant createdAt,
                @Nullable String resolution, @Nullable String resolutionNote,
                @Nullable String resolvedByName, @Nullable Instant resolvedAt, String kind) {

        Subject judged() {
            return Subject.valueOf(subject.toUpperCase(Locale.ROOT));
        }

        ReviewState reviewState() {
            return ReviewState.fromWire(state).orElseThrow();
        }

        ReviewKind itemKind() {
            return ReviewKind.fromWire(kind).orElseThrow();
        }

        @Nullable
        ReviewResolution reviewResolution() {
            return resolution == null ? null : ReviewResolution.valueOf(resolution.toUpperCase(Locale.ROOT));
        }
    }

    /** Human resolutions of one kind (as text, see {@link Item}) and how many. */
    @Introspected
    record ResolutionCount(String resolution, long count) {
    }

    String SELECT_ITEM = """
            SELECT r.id, r.post_id, r.subject, r.post_version, r.forum_category, r.state, r.reasons, r.claimed_by,
                   c.username AS claimed_by_name, r.created_at, r.resolution, r.resolution_note,
                   v.username AS resolved_by_name, r.resolved_at, r.kind
              FROM review_items r
              LEFT JOIN users c ON c.id = r.claimed_by
              LEFT JOIN users v ON v.id = r.resolved_by
            """;

    /**
     * Opens an item for the post (or its thread's title edits: {@code subject}), or adds the reasons to
     * its unresolved item: several flags and reports of one post gather in one item. Returns the item id.
     */
    @Query("""
            INSERT INTO review_items (post_id, subject, post_version, forum_category, state, reasons, created_at)
            VALUES (:postId, :subject, :postVersion, :forumCategory, 'open', CAST(:reasons AS jsonb), :createdAt)
            ON CONFLICT (post_id, subject) WHERE state <> 'resolved' DO UPDATE
               SET post_version = GREATEST(review_items.post_version, EXCLUDED.post_version),
                   reasons = review_items.reasons || EXCLUDED.reasons
            RETURNING id""")
    long openOrAdd(long postId, Subject subject, int postVersion, String forumCategory, List<Reason> reasons,
                   Instant createdAt);

    /**
     * Closes the post's unresolved item of the subject, if any, because a newer verdict made it moot;
     * returns the ids it closed.
     */
    @Query("""
            UPDATE review_items SET state = 'resolved', resolution = 'superseded', resolved_at = :resolvedAt
             WHERE post_id = :postId AND subject = :subject AND state <> 'resolved'
            RETURNING id""")
    List<Long> supersede(long postId, Subject subject, Instant resolvedAt);

    @Query(SELECT_ITEM + " WHERE r.id = :id")
    Optional<Item> find(long id);

    /** Locks the item row for the rest of the transaction: claims and resolutions serialise on it. */
    @Query(SELECT_ITEM + " WHERE r.id = :id FOR UPDATE OF r")
    Optional<Item> findForUpdate(long id);

    /**
     * A page of items in a state, oldest first, after the cursor's id, optionally of one forum
     * category and with a reason whose source or harm category is {@code reason}, and of one kind
     * (review or appeal).
     */
    @Query(SELECT_ITEM + """
             WHERE r.state = :state AND r.id > :afterId
               AND (CAST(:forumCategory AS text) IS NULL OR r.forum_category = :forumCategory)
               AND (CAST(:kind AS text) IS NULL OR r.kind = :kind)
               AND (CAST(:reason AS text) IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(r.reasons) x
                                                             WHERE x ->> 'source' = :reason OR x ->> 'category' = :reason))
             ORDER BY r.id LIMIT :fetch""")
    List<Item> list(ReviewState state, @Nullable String forumCategory, @Nullable String reason, @Nullable String kind,
                    long afterId, int fetch);

    @Query("UPDATE review_items SET state = 'claimed', claimed_by = :userId, claimed_at = :claimedAt WHERE id = :id")
    void claim(long id, long userId, Instant claimedAt);

    @Query("UPDATE review_items SET state = 'open', claimed_by = NULL, claimed_at = NULL WHERE id = :id")
    void release(long id);

    @Query("""
            UPDATE review_items SET state = 'resolved', resolution = :resolution, resolution_note = :resolutionNote,
                   resolved_by = :userId, resolved_at = :resolvedAt
             WHERE id = :id""")
    void resolve(long id, long userId, ReviewResolution resolution, @Nullable String resolutionNote, Instant resolvedAt);

    /** Human resolutions since {@code since}, by action (superseded items were nobody's decision). */
    @Query("""
            SELECT resolution, count(*) AS count FROM review_items
             WHERE state = 'resolved' AND resolved_by IS NOT NULL AND resolved_at >= :since GROUP BY resolution""")
    List<ResolutionCount> countResolutions(Instant since);
}

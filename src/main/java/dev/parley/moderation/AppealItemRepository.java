package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The review queue as appeals and the statement of reasons use it: moderators' verdicts on post
 * versions, and opening or closing appeal items. Reasons bind as JSON through the entity's type.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AppealItemRepository extends GenericRepository<ReviewItemRow, Long> {

    /**
     * A moderator's approve or reject of a post version (a review item, not an appeal), with the
     * item's reasons; resolution as text (see {@link ReviewRepository.Item}).
     */
    @Introspected
    record HumanReview(long itemId, long postId, int postVersion, String resolution, @Nullable String note,
                       long resolvedBy, @Nullable String resolvedByName, Instant resolvedAt, List<Reason> reasons) {

        boolean rejected() {
            return ReviewResolution.REJECT.wire().equals(resolution);
        }
    }

    /** The moderators' approvals and rejections of these posts, each post's newest version and resolution first. */
    @Query("""
            SELECT r.id AS item_id, r.post_id, r.post_version, r.resolution, r.resolution_note AS note, r.resolved_by,
                   u.username AS resolved_by_name, r.resolved_at, r.reasons
              FROM review_items r JOIN users u ON u.id = r.resolved_by
             WHERE r.post_id = ANY (:postIds) AND r.subject = 'post' AND r.kind = 'review' AND r.resolution IN ('approve', 'reject')
             ORDER BY r.post_id, r.post_version DESC, r.resolved_at DESC, r.id DESC""")
    List<HumanReview> humanReviews(Long[] postIds);

    /**
     * Whether a moderator decided this version of the post's text or title edit (approved, rejected,
     * upheld or overturned): then automated moderation no longer changes it.
     */
    @Query("""
            SELECT EXISTS (SELECT 1 FROM review_items WHERE post_id = :postId AND subject = :subject
                              AND post_version = :postVersion AND resolved_by IS NOT NULL
                              AND resolution IN ('approve', 'reject', 'uphold', 'overturn'))""")
    boolean humanDecided(long postId, Subject subject, int postVersion);

    /** A post version or title edit, as {@link #humanDecidedAmong} returns it. */
    @io.micronaut.core.annotation.Introspected
    record Judged(long postId, String subject, int postVersion) {
    }

    /**
     * {@link #humanDecided} for a batch in one statement (parallel arrays, one element per post
     * version or title edit): those a moderator decided.
     */
    @Query("""
            SELECT h.post_id, h.subject, h.post_version
              FROM unnest(CAST(:postIds AS bigint[]), CAST(:subjects AS text[]), CAST(:postVersions AS int[]))
                   AS h (post_id, subject, post_version)
             WHERE EXISTS (SELECT 1 FROM review_items r
                            WHERE r.post_id = h.post_id AND r.subject = h.subject AND r.post_version = h.post_version
                              AND r.resolved_by IS NOT NULL
                              AND r.resolution IN ('approve', 'reject', 'uphold', 'overturn'))""")
    List<Judged> humanDecidedAmong(Long[] postIds, String[] subjects, Integer[] postVersions);

    /** The kind of the post's unresolved review item (as text), if it has one. */
    @Query("SELECT kind FROM review_items WHERE post_id = :postId AND subject = 'post' AND state <> 'resolved'")
    Optional<String> unresolvedKind(long postId);

    /**
     * Opens an appeal item for the post version, or turns the post's unresolved review item (a flag
     * still waiting for a moderator, or a report) into the appeal, keeping its reasons and claim.
     * The caller has made sure that item is not an appeal already. Returns the item's id.
     */
    @Query("""
            INSERT INTO review_items (post_id, post_version, forum_category, state, reasons, created_at, kind)
            VALUES (:postId, :postVersion, :forumCategory, 'open', CAST(:reasons AS jsonb), :createdAt, 'appeal')
            ON CONFLICT (post_id, subject) WHERE state <> 'resolved' DO UPDATE
               SET kind = 'appeal', post_version = EXCLUDED.post_version
            RETURNING id""")
    long openAppeal(long postId, int postVersion, String forumCategory, List<Reason> reasons, Instant createdAt);

    /**
     * Closes the post's unresolved appeal of an older version: the post was edited and decided
     * anew, so the appeal is moot (the new decision can be appealed in turn); returns the ids it closed.
     */
    @Query("""
            UPDATE review_items SET state = 'resolved', resolution = 'superseded', resolved_at = :resolvedAt
             WHERE post_id = :postId AND subject = 'post' AND kind = 'appeal' AND state <> 'resolved'
               AND post_version < :postVersion
            RETURNING id""")
    List<Long> supersedeStaleAppeal(long postId, int postVersion, Instant resolvedAt);
}

package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Appeals, read together with their review item (the outcome) and the names of the people involved. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AppealRepository extends CrudRepository<AppealRow, Long> {

    /**
     * An appeal with its item's state and resolution (as text, like {@link ReviewRepository.Item}),
     * the appellant's name, and the original decision's moderator and note when a moderator took it.
     */
    @Introspected
    record Appeal(long id, long reviewItemId, long postId, int postVersion, String message, Instant createdAt,
                  String authorName, String originalDecision, @Nullable Long originalDecisionId,
                  @Nullable Long originalItemId, @Nullable Long originalBy, @Nullable String originalByName,
                  @Nullable String originalNote, String itemState, @Nullable String resolution,
                  @Nullable String resolutionNote, @Nullable String resolvedByName, @Nullable Instant resolvedAt) {

        /** Whether the decision under appeal was the automated one. */
        boolean automated() {
            return originalItemId == null;
        }

        /** The outcome so far: open (also while claimed), upheld, overturned or superseded. */
        AppealOutcome outcome() {
            return AppealOutcome.of(resolution);
        }
    }

    String SELECT_APPEAL = """
            SELECT a.id, a.review_item_id, a.post_id, a.post_version, a.message, a.created_at,
                   au.username AS author_name, a.original_decision, a.original_decision_id, a.original_item_id,
                   a.original_by, ob.username AS original_by_name, oi.resolution_note AS original_note,
                   r.state AS item_state, r.resolution, r.resolution_note, rb.username AS resolved_by_name,
                   r.resolved_at
              FROM appeals a
              JOIN review_items r ON r.id = a.review_item_id
              JOIN users au ON au.id = a.author_id
              LEFT JOIN users ob ON ob.id = a.original_by
              LEFT JOIN review_items oi ON oi.id = a.original_item_id
              LEFT JOIN users rb ON rb.id = r.resolved_by
            """;

    @Query(SELECT_APPEAL + " WHERE a.review_item_id = ANY (:itemIds)")
    List<Appeal> forItems(Long[] itemIds);

    /** The appeals of these posts, each post's newest first. */
    @Query(SELECT_APPEAL + " WHERE a.post_id = ANY (:postIds) ORDER BY a.post_id, a.id DESC")
    List<Appeal> forPosts(Long[] postIds);

    /** Whether someone other than {@code userId} could decide an appeal: an active moderator or admin. */
    @Query("""
            SELECT EXISTS (SELECT 1 FROM users WHERE role IN ('moderator', 'admin') AND suspended_at IS NULL
                                                 AND id <> :userId)""")
    boolean anotherActiveModerator(long userId);
}

package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/** Moderation's memory of authors, for the automatic trust-level rises. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface TrustHistoryRepository extends GenericRepository<DecisionRow, Long> {

    /**
     * A last rejection: of an author's posts outside the batch ({@code postId} null), or of one post of
     * the batch (with its author).
     */
    @Introspected
    record Rejection(long authorId, @Nullable Long postId, Instant at) {
    }

    /**
     * When posts of the authors were last rejected, automatically or by a moderator: per author over
     * their posts outside {@code postIds} that are not published now (a rejection whose post is
     * published now, edited and approved since or overturned, no longer counts), and per post of
     * {@code postIds} whatever its status, since the batch's decisions may still change it. Joins the
     * forum's posts for their author: moderation's tables key on posts only.
     */
    @Query("""
            SELECT author_id, post_id, max(at) AS at FROM (
                SELECT p.author_id, CASE WHEN p.id = ANY (:postIds) THEN p.id END AS post_id, d.created_at AS at
                  FROM moderation_decisions d JOIN posts p ON p.id = d.post_id
                 WHERE p.author_id = ANY (:authorIds) AND (p.status <> 'published' OR p.id = ANY (:postIds))
                   AND d.decision = 'rejected'
                UNION ALL
                SELECT p.author_id, CASE WHEN p.id = ANY (:postIds) THEN p.id END, r.resolved_at
                  FROM review_items r JOIN posts p ON p.id = r.post_id
                 WHERE p.author_id = ANY (:authorIds) AND (p.status <> 'published' OR p.id = ANY (:postIds))
                   AND r.resolution = 'reject'
            ) rejections
            GROUP BY author_id, post_id""")
    List<Rejection> lastRejections(Long[] authorIds, Long[] postIds);
}

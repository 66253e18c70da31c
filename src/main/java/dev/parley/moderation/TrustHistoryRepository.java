package dev.parley.moderation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

/** Moderation's memory of an author, for the automatic trust-level rises. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface TrustHistoryRepository extends GenericRepository<DecisionRow, Long> {

    /**
     * When a post of the author was last rejected, automatically or by a moderator. A rejection
     * whose post is published now (edited and approved since, or overturned) no longer counts.
     * Joins the forum's posts for their author: moderation's tables key on posts only.
     */
    @Query("""
            SELECT at FROM (
                SELECT d.created_at AS at FROM moderation_decisions d JOIN posts p ON p.id = d.post_id
                 WHERE p.author_id = :authorId AND p.status <> 'published' AND d.decision = 'rejected'
                UNION ALL
                SELECT r.resolved_at FROM review_items r JOIN posts p ON p.id = r.post_id
                 WHERE p.author_id = :authorId AND p.status <> 'published' AND r.resolution = 'reject'
            ) rejections ORDER BY at DESC LIMIT 1""")
    Optional<Instant> lastRejection(long authorId);
}

package dev.parley.moderation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;

/** Users' reports of posts, each filed under the post's review item. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface PostReportRepository extends GenericRepository<PostReportRow, Long> {

    /** Whether the user already reported the post and the item it went to is still unresolved. */
    @Query("""
            SELECT EXISTS (SELECT 1 FROM post_reports p JOIN review_items r ON r.id = p.review_item_id
                            WHERE p.post_id = :postId AND p.reporter_id = :reporterId AND r.state <> 'resolved')""")
    boolean alreadyReported(long postId, long reporterId);

    /** Records a user's report on an item; 0 when this user already reported it. */
    @Query("""
            INSERT INTO post_reports (post_id, reporter_id, review_item_id, reason, created_at)
            VALUES (:postId, :reporterId, :reviewItemId, :reason, :createdAt)
            ON CONFLICT (review_item_id, reporter_id) DO NOTHING""")
    int add(long reviewItemId, long postId, long reporterId, String reason, Instant createdAt);
}

package dev.parley.forum;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Counts over authors' posts (served by {@code posts_author}). */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AuthorPostRepository extends GenericRepository<PostRow, Long> {

    /**
     * A row per author with their published posts outside {@code postIds} ({@code postId} null), and a
     * row per post of {@code postIds} with its author and whether it is published (0 or 1).
     */
    @Introspected
    record PublishedRow(long authorId, @Nullable Long postId, long published) {
    }

    @Query("""
            SELECT author_id, NULL::bigint AS post_id, count(*) AS published FROM posts
             WHERE author_id = ANY (:authorIds) AND status = 'published' AND NOT (id = ANY (:postIds))
             GROUP BY author_id
            UNION ALL
            SELECT author_id, id, CASE WHEN status = 'published' THEN 1 ELSE 0 END FROM posts
             WHERE id = ANY (:postIds)""")
    List<PublishedRow> published(Long[] authorIds, Long[] postIds);
}

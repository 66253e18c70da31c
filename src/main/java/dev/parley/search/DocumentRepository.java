package dev.parley.search;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/** Full-text documents for keyword search (PostgreSQL's English text search, ranked). */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface DocumentRepository extends GenericRepository<SearchDocument, Long> {

    /** Stores a post version's document: the title (weighted higher, null for replies) counts with the first post. */
    @Query("""
            INSERT INTO search_documents (post_id, post_version, document, updated_at)
            VALUES (:postId, :version, setweight(to_tsvector('english', coalesce(:title, '')), 'A')
                                       || setweight(to_tsvector('english', :body), 'B'), :now)
            ON CONFLICT (post_id) DO UPDATE
               SET post_version = EXCLUDED.post_version, document = EXCLUDED.document,
                   updated_at = EXCLUDED.updated_at""")
    void upsert(long postId, int version, @Nullable String title, String body, Instant now);

    /**
     * Stores many posts' documents with one statement (parallel arrays, one element per post, each
     * post once); a null title is a reply.
     */
    @Query("""
            INSERT INTO search_documents (post_id, post_version, document, updated_at)
            SELECT u.post_id, u.version, setweight(to_tsvector('english', coalesce(u.title, '')), 'A')
                                         || setweight(to_tsvector('english', u.body), 'B'), :now
              FROM unnest(CAST(:postIds AS bigint[]), CAST(:versions AS int[]), CAST(:titles AS text[]),
                          CAST(:bodies AS text[])) AS u (post_id, version, title, body)
            ON CONFLICT (post_id) DO UPDATE
               SET post_version = EXCLUDED.post_version, document = EXCLUDED.document,
                   updated_at = EXCLUDED.updated_at""")
    void upsertAll(Long[] postIds, Integer[] versions, String[] titles, String[] bodies, Instant now);

    /**
     * Published posts matching a web-style query (quotes, OR, -word), best post per thread, best
     * first; {@code threads} of them whenever that many match, however many posts one thread has.
     * Every match is ranked anyway (ranks have no index order), so the best post per thread is taken
     * over all of them, and the posts' bodies are read only for the page's snippets. The filter's
     * conditions are on the matched post (null: absent); ties rank by thread id, the order result
     * pages' cursors rely on.
     */
    @Query("""
            WITH q AS (SELECT websearch_to_tsquery('english', :query) AS query),
            best AS (
                SELECT DISTINCT ON (p.thread_id) d.post_id, p.thread_id, ts_rank_cd(d.document, q.query) AS rank
                  FROM search_documents d CROSS JOIN q
                  JOIN posts p ON p.id = d.post_id AND p.status = 'published' AND p.version = d.post_version
                  JOIN threads t ON t.id = p.thread_id AND t.visible
                  JOIN categories c ON c.id = t.category_id
                 WHERE d.document @@ q.query AND (CAST(:categorySlug AS text) IS NULL OR c.slug = :categorySlug)
                   AND (CAST(:authorId AS bigint) IS NULL OR p.author_id = :authorId)
                   AND (CAST(:since AS timestamptz) IS NULL OR p.created_at >= :since)
                   AND (CAST(:until AS timestamptz) IS NULL OR p.created_at < :until)
                 ORDER BY p.thread_id, rank DESC, d.post_id),
            page AS (SELECT * FROM best ORDER BY rank DESC, thread_id LIMIT :threads)
            SELECT b.thread_id, t.title, c.slug AS category, b.post_id,
                   ts_headline('english', p.body, q.query, 'StartSel="",StopSel="",MaxWords=35,MinWords=15') AS snippet,
                   b.rank AS score
              FROM page b CROSS JOIN q JOIN posts p ON p.id = b.post_id
              JOIN threads t ON t.id = b.thread_id JOIN categories c ON c.id = t.category_id
             ORDER BY b.rank DESC, b.thread_id""")
    List<Hit> matching(String query, @Nullable String categorySlug, @Nullable Long authorId, @Nullable Instant since,
                       @Nullable Instant until, int threads);

    /** {@link #matching(String, String, Long, Instant, Instant, int)} narrowed by a {@link SearchFilter}. */
    default List<Hit> matching(String query, SearchFilter filter, int threads) {
        return matching(query, filter.categorySlug(), filter.authorId(), filter.since(), filter.until(), threads);
    }

    /** {@link #matching(String, SearchFilter, int)} narrowed by category alone. */
    default List<Hit> matching(String query, @Nullable String categorySlug, int threads) {
        return matching(query, SearchFilter.category(categorySlug), threads);
    }
}

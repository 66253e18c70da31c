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
     * Published posts sharing terms with a web-style query ({@link KeywordQuery}: words, "phrases",
     * -excluded), best post per thread, best first; {@code threads} of them whenever that many match,
     * however many posts one thread has. A post ranks first by how many of the query's terms it
     * contains (a post with all of them above any with fewer), then by {@code ts_rank_cd} (terms close
     * together, in the title, weight A, more than in a body, weight B), folded into one score from 0
     * to 1: (terms matched + ts_rank_cd scaled to 0..1) / (terms + 1).
     * <p>
     * The term queries are computed once, in a one-row CTE read through scalar subqueries: a scalar
     * subquery is evaluated before the scan, so the match is a bitmap scan of the GIN index (a join
     * with the CTE row was not, and every document was scanned). The planner cannot know how many
     * documents a query's terms match, and for a generic plan guessed few threads and hashed every
     * post: so the matches are gathered first ({@code MATERIALIZED}) and each is checked by primary
     * key in a LATERAL subquery that {@code OFFSET 0} keeps from being flattened into a join it would
     * reorder (EXPLAIN ANALYZE on 100,000 posts: 0.07-0.2 s instead of 1.1-1.9 s for a query matching
     * a few hundred posts). Every match is ranked anyway (ranks have no index order), so the best post
     * per thread is taken over all of them, and the posts' bodies are read only for the page's snippets.
     * The filter's conditions are on the matched post (null: absent); ties rank by thread id, the order
     * result pages' cursors rely on.
     */
    @Query("""
            WITH q AS (
                SELECT array_agg(tq) AS terms, tsquery_or_agg(tq) AS any_term, count(*) AS n
                  FROM (SELECT websearch_to_tsquery('english', term) AS tq
                          FROM unnest(CAST(:terms AS text[])) AS term) AS t
                 WHERE numnode(tq) > 0),
            excluded AS (
                SELECT tsquery_or_agg(tq) AS any_term
                  FROM (SELECT websearch_to_tsquery('english', term) AS tq
                          FROM unnest(CAST(:excluded AS text[])) AS term) AS t
                 WHERE numnode(tq) > 0),
            matches AS MATERIALIZED (
                SELECT d.post_id, d.post_version, d.document FROM search_documents d
                 WHERE d.document @@ (SELECT any_term FROM q)
                   AND NOT coalesce(d.document @@ (SELECT any_term FROM excluded), false)),
            best AS (
                SELECT DISTINCT ON (x.thread_id) m.post_id, x.thread_id,
                       ((SELECT count(*) FROM unnest((SELECT terms FROM q)) AS tq WHERE m.document @@ tq)
                        + ts_rank_cd(m.document, (SELECT any_term FROM q), 32)) / ((SELECT n FROM q) + 1) AS rank
                  FROM matches m
                  CROSS JOIN LATERAL (
                      SELECT p.thread_id FROM posts p
                        JOIN threads t ON t.id = p.thread_id AND t.visible
                        JOIN categories c ON c.id = t.category_id
                       WHERE p.id = m.post_id AND p.status = 'published' AND p.version = m.post_version
                         AND (CAST(:categorySlug AS text) IS NULL OR c.slug = :categorySlug)
                         AND (CAST(:authorId AS bigint) IS NULL OR p.author_id = :authorId)
                         AND (CAST(:since AS timestamptz) IS NULL OR p.created_at >= :since)
                         AND (CAST(:until AS timestamptz) IS NULL OR p.created_at < :until)
                      OFFSET 0) AS x
                 ORDER BY x.thread_id, rank DESC, m.post_id),
            page AS (SELECT * FROM best ORDER BY rank DESC, thread_id LIMIT :threads)
            SELECT b.thread_id, t.title, c.slug AS category, b.post_id,
                   ts_headline('english', p.body, (SELECT any_term FROM q),
                               'StartSel="",StopSel="",MaxWords=35,MinWords=15') AS snippet,
                   b.rank AS score
              FROM page b JOIN posts p ON p.id = b.post_id
              JOIN threads t ON t.id = b.thread_id JOIN categories c ON c.id = t.category_id
             ORDER BY b.rank DESC, b.thread_id""")
    List<Hit> findMatching(String[] terms, String[] excluded, @Nullable String categorySlug, @Nullable Long authorId,
                           @Nullable Instant since, @Nullable Instant until, int threads);

    /** {@link #findMatching} for a query as a member typed it, narrowed by a {@link SearchFilter}. */
    default List<Hit> matching(String query, SearchFilter filter, int threads) {
        KeywordQuery parsed = KeywordQuery.parse(query);
        if (parsed.terms().isEmpty()) {
            return List.of();
        }
        return findMatching(parsed.terms().toArray(String[]::new), parsed.excluded().toArray(String[]::new),
                filter.categorySlug(), filter.authorId(), filter.since(), filter.until(), threads);
    }

    /** {@link #matching(String, SearchFilter, int)} narrowed by category alone. */
    default List<Hit> matching(String query, @Nullable String categorySlug, int threads) {
        return matching(query, SearchFilter.category(categorySlug), threads);
    }
}

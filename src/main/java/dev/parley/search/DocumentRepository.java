package dev.parley.search;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** Full-text documents for keyword search (PostgreSQL's English text search, ranked). */
@Singleton
class DocumentRepository {

    private final Sql sql;

    DocumentRepository(Sql sql) {
        this.sql = sql;
    }

    /** Stores a post version's document: the title (weighted higher) counts with the first post. */
    void upsert(long postId, int version, String title, String body, Instant now) {
        sql.update("""
                INSERT INTO search_documents (post_id, post_version, document, updated_at)
                VALUES (?, ?, setweight(to_tsvector('english', coalesce(?, '')), 'A')
                           || setweight(to_tsvector('english', ?), 'B'), ?)
                ON CONFLICT (post_id) DO UPDATE
                   SET post_version = EXCLUDED.post_version, document = EXCLUDED.document,
                       updated_at = EXCLUDED.updated_at""", s -> {
            s.setLong(1, postId);
            s.setInt(2, version);
            s.setString(3, title);   // null for replies
            s.setString(4, body);
            s.setTimestamp(5, Rows.timestamp(now));
        });
    }

    /** Published posts matching a web-style query (quotes, OR, -word), best post per thread, best first. */
    List<Hit> matching(String query, String categorySlug, int threads) {
        return sql.list("""
                WITH q AS (SELECT websearch_to_tsquery('english', ?) AS query),
                candidates AS MATERIALIZED (
                    SELECT d.post_id, p.thread_id, ts_rank_cd(d.document, q.query) AS rank, p.body
                      FROM search_documents d CROSS JOIN q
                      JOIN posts p ON p.id = d.post_id AND p.status = 'published' AND p.version = d.post_version
                      JOIN threads t ON t.id = p.thread_id AND t.visible
                      JOIN categories c ON c.id = t.category_id
                     WHERE d.document @@ q.query AND (?::text IS NULL OR c.slug = ?)
                     ORDER BY rank DESC, d.post_id
                     LIMIT ?),
                best AS (SELECT DISTINCT ON (thread_id) * FROM candidates ORDER BY thread_id, rank DESC)
                SELECT b.post_id, b.thread_id, t.title, c.slug, b.rank,
                       ts_headline('english', b.body, q.query, 'StartSel="",StopSel="",MaxWords=35,MinWords=15') AS snippet
                  FROM best b CROSS JOIN q JOIN threads t ON t.id = b.thread_id JOIN categories c ON c.id = t.category_id
                 ORDER BY b.rank DESC, b.post_id LIMIT ?""", s -> {
            s.setString(1, query);
            s.setString(2, categorySlug);   // category filter, or null
            s.setString(3, categorySlug);
            s.setInt(4, Math.min(1000, threads * 8));
            s.setInt(5, threads);
        }, r -> new Hit(r.getLong("thread_id"), r.getString("title"), r.getString("slug"), r.getLong("post_id"),
                r.getString("snippet"), r.getDouble("rank")));
    }
}

package dev.parley.search;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Vectors per post, chunk and model. */
@Singleton
class EmbeddingRepository {

    private final Sql sql;

    EmbeddingRepository(Sql sql) {
        this.sql = sql;
    }

    /** The stored digest of every chunk of these posts for a model, keyed "postId/chunk". */
    Map<String, String> digests(String model, Collection<Long> postIds) {
        Map<String, String> digests = new HashMap<>();
        sql.list("SELECT post_id, chunk, digest FROM post_embeddings WHERE model = ? AND post_id = ANY (?)", s -> {
            s.setString(1, model);
            s.setArray(2, s.getConnection().createArrayOf("bigint", postIds.toArray()));
        }, r -> digests.put(r.getLong(1) + "/" + r.getInt(2), r.getString(3)));
        return digests;
    }

    void upsert(String model, long postId, int chunk, int version, String digest, String snippet, float[] vector,
                Instant now) {
        sql.update("""
                INSERT INTO post_embeddings (model, post_id, chunk, post_version, digest, snippet, embedding, embedded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::vector, ?)
                ON CONFLICT (model, post_id, chunk) DO UPDATE
                   SET post_version = EXCLUDED.post_version, digest = EXCLUDED.digest, snippet = EXCLUDED.snippet,
                       embedding = EXCLUDED.embedding, embedded_at = EXCLUDED.embedded_at""", s -> {
            s.setString(1, model);
            s.setLong(2, postId);
            s.setInt(3, chunk);
            s.setInt(4, version);
            s.setString(5, digest);
            s.setString(6, snippet);
            s.setString(7, Vectors.literal(vector));
            s.setTimestamp(8, Rows.timestamp(now));
        });
    }

    /** Marks an unchanged chunk as current for a new post version, without embedding it again. */
    void touch(String model, long postId, int chunk, int version) {
        sql.update("UPDATE post_embeddings SET post_version = ? WHERE model = ? AND post_id = ? AND chunk = ?", s -> {
            s.setInt(1, version);
            s.setString(2, model);
            s.setLong(3, postId);
            s.setInt(4, chunk);
        });
    }

    /** Drops the chunks past the end of a post that got shorter. */
    void deleteFrom(String model, long postId, int firstUnused) {
        sql.update("DELETE FROM post_embeddings WHERE model = ? AND post_id = ? AND chunk >= ?", s -> {
            s.setString(1, model);
            s.setLong(2, postId);
            s.setInt(3, firstUnused);
        });
    }

    /**
     * The published posts nearest to a vector, best chunk per thread, best thread first. The
     * category filter is applied while walking the HNSW index (pgvector's iterative scan), so a
     * narrow category still fills the page. The model is written into the SQL as a literal (a
     * checked plain name, never user text) because only then can PostgreSQL match the query to
     * the model's partial index whatever plan it caches.
     *
     * @param excludeThread a thread to leave out (related threads), or null
     */
    List<Hit> nearest(String model, int dimensions, float[] query, String categorySlug, Long excludeThread,
                      int threads) {
        sql.update("SET LOCAL hnsw.iterative_scan = relaxed_order", s -> { });
        sql.update("SET LOCAL hnsw.ef_search = 200", s -> { });
        String column = VectorIndexes.column("e.", dimensions);
        String vector = "?::vector(" + dimensions + ")";
        return sql.list("""
                WITH candidates AS MATERIALIZED (
                    SELECT e.post_id, e.snippet, %1$s <=> %2$s AS distance, p.thread_id
                      FROM post_embeddings e
                      JOIN posts p ON p.id = e.post_id AND p.status = 'published' AND p.version = e.post_version
                      JOIN threads t ON t.id = p.thread_id AND t.visible
                      JOIN categories c ON c.id = t.category_id
                     WHERE e.model = %3$s AND (?::text IS NULL OR c.slug = ?) AND (?::bigint IS NULL OR t.id <> ?)
                     ORDER BY %1$s <=> %2$s
                     LIMIT ?),
                best AS (SELECT DISTINCT ON (thread_id) * FROM candidates ORDER BY thread_id, distance)
                SELECT b.post_id, b.thread_id, t.title, c.slug, b.snippet, 1 - b.distance AS score
                  FROM best b JOIN threads t ON t.id = b.thread_id JOIN categories c ON c.id = t.category_id
                 ORDER BY b.distance LIMIT ?""".formatted(column, vector, VectorIndexes.modelLiteral(model)), s -> {
            String literal = Vectors.literal(query);
            s.setString(1, literal);             // distance in the select list
            s.setString(2, categorySlug);        // category filter, or null
            s.setString(3, categorySlug);
            s.setObject(4, excludeThread);       // thread to leave out, or null
            s.setObject(5, excludeThread);
            s.setString(6, literal);             // the ORDER BY that walks the index
            s.setInt(7, Math.min(1000, threads * 8));  // chunks to gather: several per thread
            s.setInt(8, threads);
        }, r -> new Hit(r.getLong("thread_id"), r.getString("title"), r.getString("slug"), r.getLong("post_id"),
                r.getString("snippet"), r.getDouble("score")));
    }

    /** The first chunk's vector of a thread's first post, for related threads. */
    java.util.Optional<float[]> firstPostVector(String model, long threadId) {
        return sql.one("""
                SELECT e.embedding::text FROM post_embeddings e
                 WHERE e.model = ? AND e.chunk = 0
                   AND e.post_id = (SELECT id FROM posts WHERE thread_id = ? ORDER BY id LIMIT 1)""", s -> {
            s.setString(1, model);
            s.setLong(2, threadId);
        }, r -> parse(r.getString(1)));
    }

    static float[] parse(String literal) {
        String[] parts = literal.substring(1, literal.length() - 1).split(",");
        float[] vector = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            vector[i] = Float.parseFloat(parts[i]);
        }
        return vector;
    }
}

package dev.parley.search;

import com.pgvector.PGvector;
import dev.parley.common.VectorArray;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Vectors per post, chunk and model, bound and read as pgvector-java's {@link PGvector}. */
@JdbcRepository(dialect = Dialect.POSTGRES)
abstract class EmbeddingRepository implements GenericRepository<PostEmbedding, PostEmbedding.Key> {

    private final JdbcOperations jdbc;

    EmbeddingRepository(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Query("SELECT post_id, chunk, digest FROM post_embeddings WHERE model = :model AND post_id = ANY (:postIds)")
    abstract List<ChunkDigest> findDigests(String model, Long[] postIds);

    /** The stored digest of every chunk of these posts for a model, keyed "postId/chunk". */
    Map<String, String> digests(String model, Collection<Long> postIds) {
        Map<String, String> digests = new HashMap<>();
        findDigests(model, postIds.toArray(Long[]::new))
                .forEach(stored -> digests.put(stored.postId() + "/" + stored.chunk(), stored.digest()));
        return digests;
    }

    @Query("""
            INSERT INTO post_embeddings (model, post_id, chunk, post_version, digest, snippet, embedding, embedded_at)
            VALUES (:model, :postId, :chunk, :version, :digest, :snippet, :vector, :now)
            ON CONFLICT (model, post_id, chunk) DO UPDATE
               SET post_version = EXCLUDED.post_version, digest = EXCLUDED.digest, snippet = EXCLUDED.snippet,
                   embedding = EXCLUDED.embedding, embedded_at = EXCLUDED.embedded_at""")
    abstract void upsert(String model, long postId, int chunk, int version, String digest, String snippet,
                         @TypeDef(type = DataType.OBJECT, converter = VectorConverter.class) float[] vector,
                         Instant now);

    /** A changed chunk with its new vector, one row of {@link #upsertAll}. */
    record NewChunk(long postId, int chunk, int version, String digest, String snippet, float[] vector) {
    }

    /**
     * Stores many chunks with one INSERT (one round trip and one statement per batch, not per chunk).
     * Plain JDBC: the vectors go as one {@code vector[]} parameter in binary ({@link VectorArray}),
     * which a {@code @Query} parameter cannot express. A batch holds each (post, chunk) once, as ON
     * CONFLICT DO UPDATE requires.
     */
    void upsertAll(String model, List<NewChunk> chunks, Instant now) {
        if (chunks.isEmpty()) {
            return;
        }
        int n = chunks.size();
        Long[] postIds = new Long[n];
        Integer[] indexes = new Integer[n];
        Integer[] versions = new Integer[n];
        String[] digests = new String[n];
        String[] snippets = new String[n];
        PGvector[] vectors = new PGvector[n];
        for (int i = 0; i < n; i++) {
            NewChunk c = chunks.get(i);
            postIds[i] = c.postId();
            indexes[i] = c.chunk();
            versions[i] = c.version();
            digests[i] = c.digest();
            snippets[i] = c.snippet();
            vectors[i] = new PGvector(c.vector());
        }
        jdbc.prepareStatement("""
                INSERT INTO post_embeddings (model, post_id, chunk, post_version, digest, snippet, embedding, embedded_at)
                SELECT ?, u.post_id, u.chunk, u.post_version, u.digest, u.snippet, u.embedding, ?
                  FROM unnest(?::bigint[], ?::int[], ?::int[], ?::text[], ?::text[], ?::vector[])
                       AS u (post_id, chunk, post_version, digest, snippet, embedding)
                ON CONFLICT (model, post_id, chunk) DO UPDATE
                   SET post_version = EXCLUDED.post_version, digest = EXCLUDED.digest, snippet = EXCLUDED.snippet,
                       embedding = EXCLUDED.embedding, embedded_at = EXCLUDED.embedded_at""", s -> {
            var connection = s.getConnection();
            s.setString(1, model);
            s.setObject(2, java.sql.Timestamp.from(now));
            s.setArray(3, connection.createArrayOf("bigint", postIds));
            s.setArray(4, connection.createArrayOf("int4", indexes));
            s.setArray(5, connection.createArrayOf("int4", versions));
            s.setArray(6, connection.createArrayOf("text", digests));
            s.setArray(7, connection.createArrayOf("text", snippets));
            s.setObject(8, VectorArray.of(connection, vectors));
            return s.executeUpdate();
        });
    }

    /** Marks unchanged chunks (parallel arrays) as current for their posts' new versions, without embedding them again. */
    @Query("""
            UPDATE post_embeddings e SET post_version = u.version
              FROM unnest(CAST(:postIds AS bigint[]), CAST(:chunks AS int[]), CAST(:versions AS int[]))
                   AS u (post_id, chunk, version)
             WHERE e.model = :model AND e.post_id = u.post_id AND e.chunk = u.chunk""")
    abstract void touchAll(String model, Long[] postIds, Integer[] chunks, Integer[] versions);

    /** Drops, for each post, the chunks from {@code firstUnused} on (a post that got shorter). */
    @Query("""
            DELETE FROM post_embeddings e
             USING unnest(CAST(:postIds AS bigint[]), CAST(:firstUnused AS int[])) AS d (post_id, first_unused)
             WHERE e.model = :model AND e.post_id = d.post_id AND e.chunk >= d.first_unused""")
    abstract void deleteBeyond(String model, Long[] postIds, Integer[] firstUnused);

    /**
     * Recomputes the thread vectors of these opening posts from their current chunks: the normalised
     * mean, as a model averages the windows of a long input, so it needs no model call of its own.
     * Chunks of an older version than the post's (an edit not yet embedded) are skipped; its own job
     * writes the vector again.
     */
    @Query("""
            INSERT INTO thread_embeddings (model, thread_id, post_id, post_version, embedding, updated_at)
            SELECT e.model, p.thread_id, e.post_id, e.post_version, l2_normalize(avg(e.embedding)), :now
              FROM post_embeddings e JOIN posts p ON p.id = e.post_id AND p.version = e.post_version
             WHERE e.model = :model AND e.post_id = ANY (:firstPostIds)
             GROUP BY e.model, p.thread_id, e.post_id, e.post_version
            ON CONFLICT (model, thread_id) DO UPDATE
               SET post_id = EXCLUDED.post_id, post_version = EXCLUDED.post_version,
                   embedding = EXCLUDED.embedding, updated_at = EXCLUDED.updated_at""")
    abstract void upsertThreadVectors(String model, Long[] firstPostIds, Instant now);

    /** Marks an unchanged chunk as current for a new post version, without embedding it again. */
    @Query("UPDATE post_embeddings SET post_version = :version WHERE model = :model AND post_id = :postId AND chunk = :chunk")
    abstract void touch(String model, long postId, int chunk, int version);

    /** Drops the chunks past the end of a post that got shorter. */
    @Query("DELETE FROM post_embeddings WHERE model = :model AND post_id = :postId AND chunk >= :firstUnused")
    abstract void deleteFrom(String model, long postId, int firstUnused);

    /** The first chunk of a thread's first post, for related threads. */
    @Query("""
            SELECT e.* FROM post_embeddings e
             WHERE e.model = :model AND e.chunk = 0
               AND e.post_id = (SELECT id FROM posts WHERE thread_id = :threadId ORDER BY id LIMIT 1)""")
    abstract Optional<PostEmbedding> findFirstPostChunk(String model, long threadId);

    /** The first chunk's vector of a thread's first post, for related threads. */
    Optional<float[]> firstPostVector(String model, long threadId) {
        return findFirstPostChunk(model, threadId).map(PostEmbedding::embedding);
    }

    /**
     * Sets up this transaction's index walks and reads the active model's stored name (null when none
     * is stored) in one round trip, so a search checks the model it embedded its query with without a
     * statement of its own. Run it in the transaction of {@link #nearest}, before it: the settings are
     * local to the transaction (is_local = true).
     */
    String prepareIndexWalk() {
        return jdbc.prepareStatement("""
                SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),
                       set_config('hnsw.ef_search', '200', true),
                       (SELECT value FROM search_settings WHERE key = ?) AS active_model""", s -> {
            s.setString(1, SearchModels.ACTIVE_MODEL);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString("active_model");
            }
        });
    }

    /**
     * Chunks gathered at most for one page: pgvector's default {@code hnsw.max_scan_tuples}, where an
     * iterative index scan stops anyway.
     */
    static final int MAX_CANDIDATES = 20_000;
    /** Chunks gathered first per thread wanted: enough when threads have a few close posts each. */
    static final int CANDIDATES_PER_THREAD = 8;

    /**
     * The published threads nearest to a vector, best thread first, each with its best-matching
     * chunk, and {@code threads} of them whenever that many match. A thread scores by two distances:
     * its thread vector's (what it is about: title and opening post, see {@code thread_embeddings})
     * and its best passage's (any chunk of any of its posts), mixed by {@code threadWeight}; a thread
     * without a current thread vector counts its best passage twice. The best passage alone would
     * favour long threads (more passages, more chances to be near anything), the thread vector alone
     * would bury an answer deep in a long thread.
     * <p>
     * Candidates are the nearest chunks from the HNSW index (the category filter applied during the
     * walk by pgvector's iterative scan, so a narrow category still fills the page), reduced to one
     * per thread in SQL and scored with the thread vectors of those threads only (an exact distance
     * each, no index needed). When a few threads with many close posts leave the page short, the
     * statement runs again over four times as many chunks, until the page is full, the matches run
     * out or {@link #MAX_CANDIDATES} is reached. Run {@link #prepareIndexWalk} first in the same
     * transaction.
     * <p>
     * Plain JDBC rather than {@code @Query}: the model is written into the SQL as a literal (a checked
     * plain name, never user text) and the dimension into the indexed expression, because only then
     * can PostgreSQL match the query to the model's partial index whatever plan it caches; and the
     * statement has one form per filter used, so a generic plan carries no "parameter is null"
     * branches. The number of chunks to gather is a literal too: as a parameter, PostgreSQL's generic
     * plan cannot know the LIMIT is small and chooses to scan and sort every vector of the model
     * instead of walking the index (a few widening steps give a few statement texts). The query
     * vector is a bound {@link PGvector}, so a cached generic plan never parses vector text.
     *
     * @param excludeThread a thread to leave out (related threads), or null
     * @param threadWeight  the thread vector's share of a thread's distance, 0 to 1; the best passage has the rest
     */
    List<Hit> nearest(String model, int dimensions, float[] query, String categorySlug, Long excludeThread,
                      int threads, double threadWeight) {
        return nearest(model, dimensions, query, SearchFilter.category(categorySlug), excludeThread, threads,
                threadWeight, 0);
    }

    /**
     * {@link #nearest(String, int, float[], String, Long, int, double)} narrowed by a whole {@link SearchFilter}:
     * its conditions are in the WHERE clause of the index walk, like the category, so the iterative scan
     * keeps walking until the page is full of matching posts and never returns one outside the filter.
     * Threads whose best passage is less similar than {@code minSimilarity} (the score floor; 0: none)
     * are left out.
     */
    List<Hit> nearest(String model, int dimensions, float[] query, SearchFilter filter, Long excludeThread,
                      int threads, double threadWeight, double minSimilarity) {
        PGvector vector = new PGvector(query);
        int candidates = Math.min(MAX_CANDIDATES, threads * CANDIDATES_PER_THREAD);
        while (true) {
            String sql = nearestSql(model, dimensions, filter.shape(), excludeThread != null, candidates);
            NearestPage page = nearestPage(sql, vector, filter, excludeThread, threads, threadWeight, minSimilarity);
            if (page.hits().size() >= threads || page.gathered() < candidates || candidates >= MAX_CANDIDATES) {
                return page.hits();
            }
            candidates = Math.min(MAX_CANDIDATES, candidates * 4);
        }
    }

    /**
     * The current thread vector of a thread, for related threads. Plain JDBC: a {@code @Query} projection
     * of a converted vector column fails in Micronaut Data ("Converters not supported").
     */
    Optional<float[]> findThreadVector(String model, long threadId) {
        return jdbc.prepareStatement("""
                SELECT te.embedding FROM thread_embeddings te
                  JOIN posts p ON p.id = te.post_id AND p.version = te.post_version
                 WHERE te.model = ? AND te.thread_id = ?""", s -> {
            s.setString(1, model);
            s.setLong(2, threadId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(((PGvector) r.getObject(1)).toArray()) : Optional.<float[]>empty();
            }
        });
    }

    /**
     * The vector that stands for a thread in related threads: its thread vector, or while that is not
     * computed yet (a thread indexed before thread vectors existed), its opening post's first chunk.
     */
    Optional<float[]> threadVector(String model, long threadId) {
        Optional<float[]> thread = findThreadVector(model, threadId);
        return thread.isPresent() ? thread : firstPostVector(model, threadId);
    }

    /** One page and how many chunks it was chosen from (fewer than asked: the matches ran out). */
    private record NearestPage(List<Hit> hits, int gathered) {
    }

    /** One text of the nearest statement: which model, which filters, how many chunks. */
    private record NearestForm(String model, int dimensions, int filterShape, boolean excluding, int candidates) {
    }

    /**
     * The statement texts built so far: formatting one showed in search profiles. Bounded: a few models,
     * sixteen filter shapes, two exclusions and the candidate counts limits up to 50 and four-fold widening produce.
     */
    private static final Map<NearestForm, String> NEAREST_SQL = new ConcurrentHashMap<>();

    /** The statement of {@link #nearest}, package-private for the test of its plans. */
    static String nearestSql(String model, int dimensions, boolean byCategory, boolean excluding, int candidates) {
        return nearestSql(model, dimensions, SearchFilter.category(byCategory ? "" : null).shape(), excluding,
                candidates);
    }

    private static String nearestSql(String model, int dimensions, int filterShape, boolean excluding,
                                     int candidates) {
        return NEAREST_SQL.computeIfAbsent(new NearestForm(model, dimensions, filterShape, excluding, candidates),
                EmbeddingRepository::formatNearestSql);
    }

    private static String formatNearestSql(NearestForm form) {
        String column = VectorIndexes.column("e.", form.dimensions());
        String model = VectorIndexes.modelLiteral(form.model());
        return """
                WITH candidates AS MATERIALIZED (
                    SELECT e.post_id, e.snippet, %1$s <=> ? AS distance, p.thread_id
                      FROM post_embeddings e
                      JOIN posts p ON p.id = e.post_id AND p.status = 'published' AND p.version = e.post_version
                      JOIN threads t ON t.id = p.thread_id AND t.visible
                      JOIN categories c ON c.id = t.category_id
                     WHERE e.model = %2$s%3$s%4$s
                     ORDER BY %1$s <=> ?
                     LIMIT %5$d),
                best AS (SELECT DISTINCT ON (thread_id) * FROM candidates ORDER BY thread_id, distance),
                scored AS (
                    SELECT b.*, coalesce((SELECT %6$s <=> ? FROM thread_embeddings te
                                            JOIN posts fp ON fp.id = te.post_id AND fp.version = te.post_version
                                           WHERE te.model = %2$s AND te.thread_id = b.thread_id),
                                         b.distance) AS thread_distance
                      FROM best b)
                SELECT s.thread_id, t.title, c.slug AS category, s.post_id, s.snippet,
                       1 - (? * s.thread_distance + (1 - ?) * s.distance) AS score,
                       (SELECT count(*) FROM candidates) AS gathered
                  FROM scored s JOIN threads t ON t.id = s.thread_id JOIN categories c ON c.id = t.category_id
                 WHERE s.distance <= ?
                 ORDER BY score DESC, s.thread_id LIMIT ?""".formatted(column, model,
                filterConditions(form.filterShape()), form.excluding() ? " AND t.id <> ?" : "",
                form.candidates(), VectorIndexes.column("te.", form.dimensions()));
    }

    /** The WHERE conditions of a filter shape, bound in {@link #bindFilter}'s order. */
    private static String filterConditions(int shape) {
        return ((shape & 1) != 0 ? " AND c.slug = ?" : "")
                + ((shape & 2) != 0 ? " AND p.author_id = ?" : "")
                + ((shape & 4) != 0 ? " AND p.created_at >= ?" : "")
                + ((shape & 8) != 0 ? " AND p.created_at < ?" : "");
    }

    /** Binds a filter's present conditions from parameter {@code i + 1} on; returns the last index bound. */
    private static int bindFilter(java.sql.PreparedStatement s, int i, SearchFilter filter)
            throws java.sql.SQLException {
        if (filter.categorySlug() != null) {
            s.setString(++i, filter.categorySlug());                      // category
        }
        if (filter.authorId() != null) {
            s.setLong(++i, filter.authorId());                            // the matched post's author
        }
        if (filter.since() != null) {
            s.setObject(++i, java.sql.Timestamp.from(filter.since()));    // posted at or after
        }
        if (filter.until() != null) {
            s.setObject(++i, java.sql.Timestamp.from(filter.until()));    // posted before
        }
        return i;
    }

    private NearestPage nearestPage(String sql, PGvector vector, SearchFilter filter, Long excludeThread,
                                    int threads, double threadWeight, double minSimilarity) {
        return jdbc.prepareStatement(sql, s -> {
            int i = 0;
            s.setObject(++i, vector);                // distance in the select list
            i = bindFilter(s, i, filter);            // the filter's conditions
            if (excludeThread != null) {
                s.setLong(++i, excludeThread);       // thread to leave out
            }
            s.setObject(++i, vector);                // the ORDER BY that walks the index
            s.setObject(++i, vector);                // distance to each thread's thread vector
            s.setDouble(++i, threadWeight);          // the thread vector's share of the distance
            s.setDouble(++i, threadWeight);          // and so the best passage's
            // The score floor is on the best passage: a thread whose answer lies deep inside is a match.
            s.setDouble(++i, minSimilarity > 0 ? 1 - minSimilarity : 2);
            s.setInt(++i, threads);                  // threads on the page
            List<Hit> hits = new ArrayList<>();
            int gathered = 0;
            try (ResultSet r = s.executeQuery()) {
                // Mapped by hand: JdbcOperations.readDTO looks columns up by property name, not snake_case.
                while (r.next()) {
                    hits.add(new Hit(r.getLong("thread_id"), r.getString("title"), r.getString("category"),
                            r.getLong("post_id"), r.getString("snippet"), r.getDouble("score")));
                    gathered = r.getInt("gathered");
                }
            }
            return new NearestPage(hits, gathered);
        });
    }
}

package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nearest-neighbour statement walks the model's HNSW index both when PostgreSQL plans it for the
 * values at hand (a custom plan) and when it plans it once for any values (the generic plan a
 * server-prepared statement may keep after five runs): plan shape, read from EXPLAIN of the
 * statement prepared with the driver's parameters as {@code $n}, under {@code plan_cache_mode}
 * forcing each kind. The vectors belong to a model of this test's own, with its own partial index,
 * so the service's active model and other tests never see them.
 */
@MicronautTest(transactional = false)
class NearestPlanTest extends ApiTest {

    private static final String MODEL = "test-plan-shape";
    private static final int DIMENSIONS = 384;
    /** Chunks of the one post: enough that scanning them all costs more than walking the index. */
    private static final int CHUNKS = 3000;
    private static final String INDEX_SCAN = "Index Scan using " + VectorIndexes.indexName(MODEL);

    @Inject
    EmbeddingRepository embeddings;
    @Inject
    VectorIndexes indexes;
    @Inject
    TransactionOperations<Connection> tx;
    @Inject
    JdbcOperations jdbc;

    private long postId;

    @AfterEach
    void removeTestVectors() {
        embeddings.deleteFrom(MODEL, postId, 0);
    }

    @Test
    void theIndexIsWalkedUnderCustomAndGenericPlans() {
        String slug = storeVectors();
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
            for (int candidates : List.of(80, 320)) {
                String all = plan(mode, false, false, candidates, null, null);
                assertTrue(all.contains(INDEX_SCAN), mode + ", no filter, " + candidates + " chunks:\n" + all);
                assertPlannedAs(mode, all);

                String related = plan(mode, false, true, candidates, null, 1L);
                assertTrue(related.contains(INDEX_SCAN), mode + ", one thread left out:\n" + related);
                assertPlannedAs(mode, related);

                // A category filter may start from the category's posts instead (exact, and cheap for a
                // small category); either way the model's vectors are never all read and sorted.
                String filtered = plan(mode, true, false, candidates, slug, null);
                assertFalse(filtered.contains("Seq Scan on post_embeddings"), mode + ", category filter:\n" + filtered);
                assertPlannedAs(mode, filtered);
            }
        }
    }

    /** A generic plan shows the parameters as $n where a custom plan shows the values. */
    private static void assertPlannedAs(String mode, String plan) {
        boolean generic = plan.contains("<=> $");
        assertTrue(mode.equals("force_generic_plan") == generic, mode + " planned otherwise:\n" + plan);
    }

    /** One thread whose post has {@link #CHUNKS} random unit vectors under {@link #MODEL}; returns its category. */
    private String storeVectors() {
        User author = api.register("plans");
        String slug = api.category("plans");
        long threadId = api.thread(author, slug, "Plan shapes", "A post whose vectors the test writes itself.")
                .get("id").getLongValue();
        postId = db.count("SELECT min(id) FROM posts WHERE thread_id = ?", threadId);
        int version = (int) db.count("SELECT version FROM posts WHERE id = ?", postId);
        Random random = new Random(7);
        List<EmbeddingRepository.NewChunk> chunks = new ArrayList<>();
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            chunks.add(new EmbeddingRepository.NewChunk(postId, chunk, version, "digest", "snippet", unit(random)));
        }
        tx.executeWrite(status -> {
            embeddings.upsertAll(MODEL, chunks, Instant.now());
            return null;
        });
        indexes.ensure(MODEL, DIMENSIONS);
        // As autovacuum would after such a write: the planner needs the table's new size.
        db.execute("ANALYZE post_embeddings, posts, threads, categories");
        return slug;
    }

    /**
     * EXPLAIN of the statement {@code EmbeddingRepository.nearest} sends, prepared by name with its
     * {@code ?} numbered in order, executed with a query vector and the given filters.
     */
    private String plan(String mode, boolean byCategory, boolean excluding, int candidates, String slug,
                        Long excludeThread) {
        String sql = EmbeddingRepository.nearestSql(MODEL, DIMENSIONS, byCategory, excluding, candidates);
        List<String> types = new ArrayList<>(List.of("vector"));
        List<String> values = new ArrayList<>(List.of("'" + Arrays.toString(unit(new Random(11))).replace(" ", "")
                + "'"));
        if (byCategory) {
            types.add("text");
            values.add("'" + slug + "'");
        }
        if (excluding) {
            types.add("bigint");
            values.add(Long.toString(excludeThread));
        }
        types.add("vector");
        values.add(values.get(0));
        types.add("int");
        values.add("10");
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
        }
        String prepared = numbered.toString();
        return tx.executeRead(status -> {
            jdbc.prepareStatement("SELECT set_config('plan_cache_mode', ?, true)", s -> {
                s.setString(1, mode);
                return s.execute();
            });
            embeddings.prepareIndexWalk();
            jdbc.prepareStatement("PREPARE plan_check (" + String.join(", ", types) + ") AS " + prepared,
                    s -> s.execute());
            try {
                return jdbc.prepareStatement("EXPLAIN (COSTS OFF) EXECUTE plan_check (" + String.join(", ", values)
                        + ")", s -> {
                    StringBuilder plan = new StringBuilder();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            plan.append(r.getString(1)).append('\n');
                        }
                    }
                    return plan.toString();
                });
            } finally {
                jdbc.prepareStatement("DEALLOCATE plan_check", s -> s.execute());
            }
        });
    }

    private static float[] unit(Random random) {
        float[] vector = new float[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }
}

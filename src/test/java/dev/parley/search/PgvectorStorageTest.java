package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vectors go to PostgreSQL and back as pgvector-java's PGvector on the service's pooled
 * connections, and the nearest-neighbour statement keeps its answer once the driver has
 * server-prepared it and PostgreSQL may use its generic plan. Vectors here belong to models of the
 * tests' own, so the service's active model and other tests never see them.
 */
@MicronautTest(transactional = false)
class PgvectorStorageTest extends ApiTest {

    private static final String EXACT_MODEL = "test-exact-roundtrip";
    private static final String PLAN_MODEL = "test-generic-plan";

    @Inject
    EmbeddingRepository embeddings;
    @Inject
    TransactionOperations<Connection> tx;
    @Inject
    JdbcOperations jdbc;

    private final List<Long> written = new ArrayList<>();

    @AfterEach
    void removeTestVectors() {
        for (long postId : written) {
            embeddings.deleteFrom(EXACT_MODEL, postId, 0);
            embeddings.deleteFrom(PLAN_MODEL, postId, 0);
        }
    }

    @Test
    void aVectorWrittenAndReadBackThroughTheRepositoryIsFloatExact() {
        User author = api.register("vectors");
        String slug = api.category("vectors");
        long threadId = api.thread(author, slug, "Exact vectors", "Every float comes back as it went in.")
                .get("id").getLongValue();
        long postId = firstPostId(threadId);
        Random random = new Random(42);
        float[] vector = new float[384];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = random.nextFloat() * 2 - 1;
        }
        // Values whose shortest decimal form is long or extreme: a lossy text round trip would change them.
        vector[0] = 0.1f;
        vector[1] = 1.0e-7f;
        vector[2] = Float.MIN_NORMAL;
        vector[3] = -3.4028235e38f;
        vector[4] = 0.33333334f;

        written.add(postId);
        embeddings.upsert(EXACT_MODEL, postId, 0, 1, "digest", "snippet", vector, Instant.now());

        assertArrayEquals(vector, embeddings.firstPostVector(EXACT_MODEL, threadId).orElseThrow(),
                "read outside a transaction");
        assertArrayEquals(vector, tx.executeRead(status -> embeddings.firstPostVector(EXACT_MODEL, threadId))
                .orElseThrow(), "read in the caller's transaction");
    }

    @Test
    void everyPooledConnectionSendsAVectorArrayInBinary() {
        // Registered once per physical connection by the pool's wrapper, not per statement by the writer.
        List<Boolean> binary = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            binary.add(tx.executeRead(status -> {
                try {
                    BaseConnection connection = status.getConnection().unwrap(BaseConnection.class);
                    return connection.binaryTransferSend(connection.getTypeInfo().getPGType("_vector"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertEquals(List.of(true, true, true), binary);
    }

    @Test
    void theNearestStatementAnswersTheSameOnceServerPrepared() {
        User author = api.register("planner");
        String slug = api.category("plans");
        long near = embedded(author, slug, "Nearest thread", new float[]{1, 0, 0});
        long middle = embedded(author, slug, "Middle thread", new float[]{0.8f, 0.6f, 0});
        long far = embedded(author, slug, "Farthest thread", new float[]{0, 1, 0});
        float[] query = {1, 0.1f, 0};

        List<List<Hit>> answers = tx.executeRead(status -> {
            List<List<Hit>> runs = new ArrayList<>();
            // One transaction, so one connection: the driver server-prepares the statement after 5 runs
            // (prepareThreshold), after which PostgreSQL may answer from a generic plan.
            for (int run = 0; run < 10; run++) {
                runs.add(embeddings.nearest(PLAN_MODEL, 3, query, slug, null, 10, 0.5));
            }
            assertTrue(serverPreparedExecutions() >= 5, "the statement ran server-prepared on this connection");
            return runs;
        });

        List<Long> first = answers.get(0).stream().map(Hit::threadId).toList();
        assertEquals(List.of(near, middle, far), first);
        assertEquals(1 - cosineDistance(query, new float[]{1, 0, 0}), answers.get(0).get(0).score(), 1e-6);
        for (int run = 1; run < answers.size(); run++) {
            assertEquals(answers.get(0), answers.get(run), "run " + (run + 1));
        }
    }

    private long embedded(User author, String slug, String title, float[] vector) {
        long threadId = api.thread(author, slug, title, "A post whose vector the test writes itself.")
                .get("id").getLongValue();
        long postId = firstPostId(threadId);
        written.add(postId);
        int version = (int) db.count("SELECT version FROM posts WHERE id = ?", postId);
        embeddings.upsert(PLAN_MODEL, postId, 0, version, "digest", title, vector, Instant.now());
        return threadId;
    }

    private long firstPostId(long threadId) {
        return db.count("SELECT min(id) FROM posts WHERE thread_id = ?", threadId);
    }

    /** Executions of the nearest statement as a server-side prepared statement, on the current connection. */
    private long serverPreparedExecutions() {
        return jdbc.prepareStatement("""
                SELECT coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements
                 WHERE statement LIKE '%WITH candidates AS MATERIALIZED%'""", s -> {
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return 1 - dot / Math.sqrt(na * nb);
    }
}

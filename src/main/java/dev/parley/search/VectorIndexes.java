package dev.parley.search;

import dev.parley.common.DatabaseConnections;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One partial HNSW index per embedding model, over the vector cast to that model's dimension.
 * Built CONCURRENTLY (outside any transaction, on its own connection) so that adding a model never
 * blocks writes; IF NOT EXISTS makes every instance's attempt after the first a no-op.
 */
@Singleton
class VectorIndexes {

    private static final Logger LOG = LoggerFactory.getLogger(VectorIndexes.class);
    /** Model names end up in DDL, so only plain names are accepted. */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,90}");

    private final DatabaseConnections connections;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    VectorIndexes(DatabaseConnections connections) {
        this.connections = connections;
    }

    /**
     * The SQL expression of a model's indexed vector; queries must use the same expression (with
     * their table alias) to be answered from the index.
     */
    static String column(String alias, int dimensions) {
        return "(" + alias + "embedding::vector(" + dimensions + "))";
    }

    static String indexName(String model) {
        return "post_embeddings_hnsw_" + model.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** The model name as an SQL string literal; only plain names pass, so nothing can be injected. */
    static String modelLiteral(String model) {
        if (!MODEL_NAME.matcher(model).matches()) {
            throw new IllegalArgumentException("unusable embedding model name: " + model);
        }
        return "'" + model + "'";
    }

    void ensure(String model, int dimensions) {
        if (dimensions < 1 || dimensions > 16_000) {
            throw new IllegalArgumentException("unusable embedding dimension: " + dimensions);
        }
        if (ensured.contains(model)) {
            return;
        }
        String sql = "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + indexName(model)
                + " ON post_embeddings USING hnsw (" + column("", dimensions) + " vector_cosine_ops)"
                + " WHERE model = " + modelLiteral(model);
        long start = System.nanoTime();
        // Its own connection without the statement timeout: a build over many posts takes minutes.
        try (Connection connection = connections.openForMaintenance("default");
             Statement statement = connection.createStatement()) {
            // Two instances building the same index at once deadlock (each CONCURRENTLY build waits for the
            // other's transaction) and the loser may leave an invalid index that IF NOT EXISTS then keeps.
            // So builds of one index take turns under an advisory lock, tried without holding a transaction
            // open while waiting, and a leftover invalid index is dropped first.
            long key = indexName(model).hashCode();
            awaitAdvisoryLock(connection, key);
            try {
                dropIfInvalid(connection, statement, indexName(model));
                statement.execute(sql);
            } finally {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, key);
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the vector index of " + model, e);
        }
        ensured.add(model);
        LOG.info("Vector index {} ready in {} ms", indexName(model), (System.nanoTime() - start) / 1_000_000);
    }

    private static void awaitAdvisoryLock(Connection connection, long key) throws SQLException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, key);
            while (true) {
                try (ResultSet r = lock.executeQuery()) {
                    if (r.next() && r.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("another instance is still building the index");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting to build the index", e);
                }
            }
        }
    }

    private static void dropIfInvalid(Connection connection, Statement statement, String index) throws SQLException {
        try (PreparedStatement invalid = connection.prepareStatement("""
                SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE c.relname = ? AND NOT i.indisvalid""")) {
            invalid.setString(1, index);
            try (ResultSet r = invalid.executeQuery()) {
                if (r.next()) {
                    LOG.warn("Dropping the invalid vector index {} left by an interrupted build", index);
                    // The name comes from indexName(): lowercase letters, digits and '_' only.
                    statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
                }
            }
        }
    }
}

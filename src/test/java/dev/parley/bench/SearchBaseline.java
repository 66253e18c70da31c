package dev.parley.bench;

import com.pgvector.PGvector;
import dev.parley.search.EmbeddingModel;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a semantic search costs without the service around it: the same model embedding the query
 * in-process, then the same SQL the service runs for {@code GET /api/search} (the two SET LOCALs
 * with the active model's check, the nearest-neighbour statement of {@code EmbeddingRepository.nearest}), on
 * plain JDBC connections, one per client thread. The statement text is copied from the service;
 * {@link #threadIds} lets the benchmark check that both return the same threads.
 */
final class SearchBaseline {

    private static final String NEAREST = """
            WITH candidates AS MATERIALIZED (
                SELECT e.post_id, e.snippet, (e.embedding::vector(%1$d)) <=> ? AS distance, p.thread_id
                  FROM post_embeddings e
                  JOIN posts p ON p.id = e.post_id AND p.status = 'published' AND p.version = e.post_version
                  JOIN threads t ON t.id = p.thread_id AND t.visible
                  JOIN categories c ON c.id = t.category_id
                 WHERE e.model = '%2$s'
                 ORDER BY (e.embedding::vector(%1$d)) <=> ?
                 LIMIT %3$d),
            best AS (SELECT DISTINCT ON (thread_id) * FROM candidates ORDER BY thread_id, distance)
            SELECT b.thread_id, t.title, c.slug AS category, b.post_id, b.snippet, 1 - b.distance AS score,
                   (SELECT count(*) FROM candidates) AS gathered
              FROM best b JOIN threads t ON t.id = b.thread_id JOIN categories c ON c.id = t.category_id
             ORDER BY b.distance LIMIT ?""";

    private final EmbeddingModel model;
    private final String url;
    private final String user;
    private final String password;
    private final String nearest;

    SearchBaseline(EmbeddingModel model, String url, String user, String password) {
        if (!model.name().matches("[A-Za-z0-9._@-]+")) {
            throw new IllegalArgumentException("unexpected model name " + model.name());
        }
        this.model = model;
        this.url = url;
        this.user = user;
        this.password = password;
        // Its first round at limit 10: 8 chunks per thread wanted, written in as the service does.
        this.nearest = NEAREST.formatted(model.dimensions(), model.name(), 80);
    }

    /** The thread ids one search returns, best first, for comparison with the service's answer. */
    List<Long> threadIds(String query) throws SQLException {
        try (Connection c = connect()) {
            return search(c, query, 10);
        }
    }

    /** Embeds queries in-process on {@code clients} threads for {@code seconds}: the model's raw rate. */
    LoadTools.Load embedOnly(List<String> queries, int clients, int seconds) throws InterruptedException {
        return drive(queries, clients, seconds, false);
    }

    /** Embedding plus the service's SQL, on {@code clients} threads for {@code seconds}. */
    LoadTools.Load embedAndQuery(List<String> queries, int clients, int seconds) throws InterruptedException {
        return drive(queries, clients, seconds, true);
    }

    private LoadTools.Load drive(List<String> queries, int clients, int seconds, boolean withSql)
            throws InterruptedException {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int offset = i * 7;
            Thread thread = new Thread(() -> {
                try (Connection c = withSql ? connect() : null) {
                    int n = offset;
                    while (System.nanoTime() < deadline) {
                        String query = queries.get(n++ % queries.size());
                        long t0 = System.nanoTime();
                        if (withSql) {
                            search(c, query, 10);
                        } else {
                            model.embed(List.of(query));
                        }
                        latencies.add((System.nanoTime() - t0) / 1e6);
                    }
                } catch (SQLException | RuntimeException e) {
                    failures.incrementAndGet();
                }
            }, "search-baseline-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new LoadTools.Load(clients, sorted.size(), elapsed, sorted.size() / elapsed,
                LoadTools.percentile(sorted, 50), LoadTools.percentile(sorted, 99), failures.get(), Double.NaN);
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(false);
        c.setReadOnly(true);
        return c;
    }

    /**
     * One search as the service runs it without a category: the embedding (in no transaction: the
     * service holds no connection while the model runs), then one read-only transaction with the
     * index-walk settings and the active model's check in one statement, and the nearest statement
     * (its first round, which fills the page on this benchmark's threads).
     */
    private List<Long> search(Connection c, String query, int limit) throws SQLException {
        try {
            float[] vector = model.embed(List.of(query)).get(0);
            try (PreparedStatement s = c.prepareStatement("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),"
                    + " set_config('hnsw.ef_search', '200', true),"
                    + " (SELECT value FROM search_settings WHERE key = ?) AS active_model")) {
                s.setString(1, "active_model");
                s.executeQuery().close();
            }
            Set<Long> threads = new LinkedHashSet<>();
            try (PreparedStatement s = c.prepareStatement(nearest)) {
                PGvector bound = new PGvector(vector);
                s.setObject(1, bound);
                s.setObject(2, bound);
                s.setInt(3, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        threads.add(r.getLong("thread_id"));
                    }
                }
            }
            c.commit();
            return new ArrayList<>(threads);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }
}

package dev.parley.bench;

import com.pgvector.PGvector;
import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.search.EmbeddingModel;
import dev.parley.support.Api;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.transaction.TransactionOperations;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Search at scale: N posts (default 100,000) in threads of realistic sizes (most 1–10 posts, one in
 * fifty 200–400 posts, every post of a thread on the thread's topic, so a big thread's posts all
 * sit close to the queries about that topic), the threads in three categories holding 89%, 10% and
 * 1% of them, embedded with the configured model. Every search query is one the service has not
 * seen, so none is answered from its query cache (the cache's hit counter is printed to show it). Prints, in one run: search latency over HTTP,
 * recall@10 of the HNSW query against an exact scan per category filter, how many pages came back
 * full, one-client p50 of each mode next to one query embedding, search throughput next to the raw
 * rate of embedding a query, and how long a new post takes to become searchable at idle.
 * Run with {@code scripts/bench-search.sh [posts]}.
 */
public final class SearchScaleBenchmark {

    private static final String[] TOPICS = {
            "password reset login account", "sourdough bread flour starter", "postgres vacuum index query",
            "kayak paddle lake river", "hiking boots blisters trail", "telescope planets stars astronomy",
            "garden tomatoes compost soil", "cat vet food health", "puppy training chewing leash",
            "groceries budget saving money", "freelance tax invoices", "bicycle chain gears brakes",
            "car battery engine winter", "guitar chords strings practice", "piano lessons scales",
            "insomnia sleep night tired", "espresso coffee grinder beans", "homebrew beer yeast hops",
            "docker container network port", "git branch merge commit", "knitting yarn needles stitches",
            "moving abroad visa paperwork", "roof leak rain ceiling", "chess openings endgame tactics",
            "marathon running training pace", "wedding speech nerves", "photography lens aperture light",
            "smartphone battery drains fast", "printer paper jam driver", "football team transfer season"};
    private static final String[] WORDS = ("the a my our this that with without about after before during "
            + "really quite very often never always sometimes maybe please thanks help question problem idea "
            + "advice works broken new old cheap expensive best worst first last home work weekend today").split(" ");

    public static void main(String[] args) throws Exception {
        int posts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (ApplicationContext context = ApplicationContext.builder().environments("test").properties(Map.of(
                "parley.pipeline.workers-enabled", "false",
                "micronaut.server.port", "-1")).start()) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            Api api = new Api(server, context.getBean(JsonMapper.class));
            EmbeddingModel model = context.getBean(EmbeddingModel.class);
            String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
            String[] slugs = {api.category("big" + run), api.category("tenth" + run), api.category("hundredth" + run)};
            Api.User author = api.register("scale");

            long start = System.nanoTime();
            load(context, model, author.id(), slugs, posts);
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nLoaded and embedded %d posts in %.0f s (%.0f posts/s)%n", posts, loadSeconds,
                    posts / loadSeconds);
            // As autovacuum would after a bulk load: the planner needs the new row counts to pick the index.
            analyze(context);

            Random random = new Random(42);
            List<String> queries = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                queries.add(text(random));
            }
            long hitsBefore = cacheHits(context);
            StringBuilder out = new StringBuilder();
            out.append(String.format("%n| category filter | matching posts | p50 ms | p95 ms | recall@10 (HNSW vs exact) | full pages |%n"
                    + "|---|---:|---:|---:|---:|---:|%n"));
            String[] filters = {null, slugs[1], slugs[2]};
            String[] labels = {"none (all threads)", "10% of threads", "1% of threads"};
            long[] shares = {matching(context, null), matching(context, slugs[1]), matching(context, slugs[2])};
            for (int f = 0; f < filters.length; f++) {
                List<Double> latencies = new ArrayList<>();
                double recall = 0;
                int full = 0;
                // Each row's queries are new to the service (the row's number appended), so every search
                // embeds its query and none is answered from the query cache.
                for (String base : queries) {
                    String q = base + " " + f;
                    long t0 = System.nanoTime();
                    JsonNode results = api.get("/api/search?mode=semantic&limit=10&q=" + enc(q)
                            + (filters[f] == null ? "" : "&category=" + filters[f]), null).expect(200).json()
                            .get("results");
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    Set<Long> found = new HashSet<>();
                    results.values().forEach(r -> found.add(r.get("thread").get("id").getLongValue()));
                    Set<Long> exact = exact(context, model, q, filters[f]);
                    // Full: ten distinct threads, or every matching thread when fewer match.
                    full += found.size() == exact.size() && results.size() == found.size() ? 1 : 0;
                    found.retainAll(exact);
                    recall += exact.isEmpty() ? 1 : found.size() / (double) exact.size();
                }
                Collections.sort(latencies);
                out.append(String.format("| %s | %d | %.1f | %.1f | %.3f | %d of %d |%n", labels[f], shares[f],
                        latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.95)),
                        recall / queries.size(), full, queries.size()));
            }
            out.append(oneClient(api, model, queries));

            double embedRate = embeddingRate(model, queries);
            double searchRate = throughput(api, queries, 2, 15);
            out.append(String.format("%n| measure | per second |%n|---|---:|%n"
                    + "| raw query embedding, in-process (%s) | %.0f |%n"
                    + "| semantic search over HTTP, 2 clients | %.0f |%n", model.name(), embedRate, searchRate));
            out.append(String.format("%n| query cache, over every search above | queries |%n|---|---:|%n"
                    + "| answered from the cache (each query was new: 0 expected) | %d |%n", cacheHits(context) - hitsBefore));

            out.append(freshness(context, api, author, slugs[0]));
            System.out.print(out);
        }
    }

    /** Bulk-loads threads with one published post each, their embeddings and keyword documents. */
    @SuppressWarnings("unchecked")
    private static void load(ApplicationContext context, EmbeddingModel model, long authorId, String[] slugs,
                             int posts) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        Random random = new Random(7);
        Random shapes = new Random(11);
        int batch = 256;
        long[] thread = {0, 0, 0};  // current thread id, posts left in it, its topic
        int[] threadsMade = {0};
        for (int from = 0; from < posts; from += batch) {
            int size = Math.min(batch, posts - from);
            List<String> texts = new ArrayList<>();
            List<Boolean> opens = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                boolean open = thread[1] == 0;
                if (open) {
                    thread[1] = shapes.nextInt(50) == 0 ? 200 + shapes.nextInt(201) : 1 + shapes.nextInt(10);
                    thread[2] = shapes.nextInt(TOPICS.length);
                }
                thread[1]--;
                opens.add(open);
                texts.add(text(random, (int) thread[2]));
            }
            List<float[]> vectors = model.embed(texts);
            int first = from;
            tx.executeWrite(status -> {
                Connection c = status.getConnection();
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < size; i++) {
                    if (!opens.get(i)) {
                        insertPost(c, model, authorId, thread[0], texts.get(i), vectors.get(i), now);
                        continue;
                    }
                    int n = threadsMade[0]++;
                    String slug = n % 100 == 0 ? slugs[2] : n % 10 == 1 ? slugs[1] : slugs[0];
                    long threadId;
                    try (PreparedStatement s = c.prepareStatement("""
                            INSERT INTO threads (category_id, author_id, title, visible, post_count, created_at, last_activity_at)
                            SELECT id, ?, ?, true, 1, ?, ? FROM categories WHERE slug = ? RETURNING id""")) {
                        s.setLong(1, authorId);
                        s.setString(2, "Scale thread " + n + " about " + TOPICS[(int) thread[2]]);
                        s.setTimestamp(3, now);
                        s.setTimestamp(4, now);
                        s.setString(5, slug);
                        try (ResultSet r = s.executeQuery()) {
                            r.next();
                            threadId = r.getLong(1);
                        }
                    }
                    thread[0] = threadId;
                    insertPost(c, model, authorId, threadId, texts.get(i), vectors.get(i), now);
                }
                return null;
            });
            if ((from / batch) % 40 == 0) {
                System.out.printf("  loaded %d/%d%n", from + size, posts);
            }
        }
        tx.executeWrite(status -> {
            try (var statement = status.getConnection().createStatement()) {
                statement.execute("""
                        UPDATE threads t SET post_count = n.posts
                          FROM (SELECT thread_id, count(*) AS posts FROM posts GROUP BY thread_id) n
                         WHERE n.thread_id = t.id AND t.post_count <> n.posts""");
            }
            return null;
        });
    }

    /** One published post with its embedding and keyword document. */
    private static void insertPost(Connection c, EmbeddingModel model, long authorId, long threadId, String text,
                                   float[] vector, Timestamp now) throws java.sql.SQLException {
        long postId;
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO posts (thread_id, author_id, body, status, created_at)
                VALUES (?, ?, ?, 'published', ?) RETURNING id""")) {
            s.setLong(1, threadId);
            s.setLong(2, authorId);
            s.setString(3, text);
            s.setTimestamp(4, now);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                postId = r.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO post_embeddings (model, post_id, chunk, post_version, digest, snippet, embedding, embedded_at)
                VALUES (?, ?, 0, 1, md5(?), left(?, 240), ?, ?)""")) {
            s.setString(1, model.name());
            s.setLong(2, postId);
            s.setString(3, text);
            s.setString(4, text);
            s.setObject(5, new PGvector(vector));
            s.setTimestamp(6, now);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO search_documents (post_id, post_version, document, updated_at)
                VALUES (?, 1, to_tsvector('english', ?), ?)""")) {
            s.setLong(1, postId);
            s.setString(2, text);
            s.setTimestamp(3, now);
            s.executeUpdate();
        }
    }

    /**
     * VACUUM ANALYZE, as autovacuum would soon after a bulk load: the planner needs the new row counts,
     * and the keyword index's pending entries are merged (a GIN index fresh from bulk inserts answers
     * from an unsorted pending list). Autocommit: VACUUM cannot run in a transaction.
     */
    private static void analyze(ApplicationContext context) throws java.sql.SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(
                context.getRequiredProperty("datasources.default.url", String.class),
                context.getRequiredProperty("datasources.default.username", String.class),
                context.getRequiredProperty("datasources.default.password", String.class));
             var statement = c.createStatement()) {
            statement.execute("VACUUM ANALYZE post_embeddings, posts, threads, search_documents");
        }
    }

    /** Semantic searches answered from the service's query cache so far. */
    private static long cacheHits(ApplicationContext context) {
        return (long) context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .get("parley.search.query.embeddings").tag("result", "hit").counter().count();
    }

    /** Posts in a category (all when null), as the table's "matching posts". */
    @SuppressWarnings("unchecked")
    private static long matching(ApplicationContext context, String slug) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("""
                    SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id
                      JOIN categories c ON c.id = t.category_id WHERE ?::text IS NULL OR c.slug = ?""")) {
                s.setString(1, slug);
                s.setString(2, slug);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    /**
     * p50 at one client of each mode over HTTP and of one query embedding in-process, in turns, each
     * query a new one (so the service's query-embedding cache cannot answer).
     */
    private static String oneClient(Api api, EmbeddingModel model, List<String> queries) {
        String[] modes = {"semantic", "hybrid", "keyword"};
        List<List<Double>> times = new ArrayList<>();
        for (int m = 0; m <= modes.length; m++) {
            times.add(new ArrayList<>());
        }
        Random random = new Random(99);
        for (int i = 0; i < 60; i++) {
            for (int m = 0; m < modes.length; m++) {
                String q = text(random) + " " + i;
                long t0 = System.nanoTime();
                api.get("/api/search?mode=" + modes[m] + "&limit=10&q=" + enc(q), null).expect(200);
                times.get(m).add((System.nanoTime() - t0) / 1e6);
            }
            String q = text(random) + " " + i;
            long t0 = System.nanoTime();
            model.embed(List.of(q));
            times.get(modes.length).add((System.nanoTime() - t0) / 1e6);
        }
        double[] p50 = new double[times.size()];
        for (int m = 0; m < times.size(); m++) {
            List<Double> sorted = new ArrayList<>(times.get(m).subList(10, times.get(m).size()));  // after warm-up
            Collections.sort(sorted);
            p50[m] = sorted.get(sorted.size() / 2);
        }
        double bound = 1.5 * (p50[2] + p50[3]);
        return String.format("%n| one client, new queries | p50 ms |%n|---|---:|%n"
                        + "| semantic search (HTTP) | %.1f |%n| hybrid search (HTTP) | %.1f |%n"
                        + "| keyword search (HTTP) | %.1f |%n| query embedding (in-process) | %.1f |%n"
                        + "| 1.5 × (keyword + embedding) | %.1f: semantic %s, hybrid %s |%n",
                p50[0], p50[1], p50[2], p50[3], bound, p50[0] <= bound ? "within" : "not within",
                p50[1] <= bound ? "within" : "not within");
    }

    /** The true 10 nearest threads: the same filters, ordered on the raw column so no index is used. */
    @SuppressWarnings("unchecked")
    private static Set<Long> exact(ApplicationContext context, EmbeddingModel model, String query, String slug) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        PGvector vector = new PGvector(model.embed(List.of(query)).get(0));
        return tx.executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("""
                    SELECT p.thread_id FROM post_embeddings e
                      JOIN posts p ON p.id = e.post_id AND p.status = 'published' AND p.version = e.post_version
                      JOIN threads t ON t.id = p.thread_id AND t.visible
                      JOIN categories c ON c.id = t.category_id
                     WHERE e.model = ? AND (?::text IS NULL OR c.slug = ?)
                     GROUP BY p.thread_id ORDER BY min(e.embedding <=> ?) LIMIT 10""")) {
                s.setString(1, model.name());
                s.setString(2, slug);
                s.setString(3, slug);
                s.setObject(4, vector);
                Set<Long> ids = new HashSet<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    private static double embeddingRate(EmbeddingModel model, List<String> queries) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long start = System.nanoTime();
        int done = 0;
        while (System.nanoTime() < deadline) {
            model.embed(List.of(queries.get(done % queries.size())));
            done++;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static double throughput(Api api, List<String> queries, int clients, int seconds) throws Exception {
        AtomicInteger done = new AtomicInteger();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int offset = c;
            Thread thread = new Thread(() -> {
                // Every request a query not sent before (" t<n>" appended): the rate of searches that embed.
                for (int i = offset; System.nanoTime() < deadline; i += clients) {
                    api.get("/api/search?mode=semantic&limit=10&q=" + enc(queries.get(i % queries.size()) + " t" + i),
                            null).expect(200);
                    done.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.get() / (double) seconds;
    }

    /** Publish-to-searchable time at idle: from the moderation decision to the stored embedding. */
    @SuppressWarnings("unchecked")
    private static String freshness(ApplicationContext context, Api api, Api.User author, String slug)
            throws Exception {
        List<Long> postIds = new ArrayList<>();
        try (WorkerPool pool = context.getBean(WorkerPools.class).create("bench-freshness")) {
            pool.start();
            Thread.sleep(1000);
            for (int i = 0; i < 30; i++) {
                postIds.add(api.post("/api/threads", author.token(), Map.of("category", slug,
                        "title", "Freshness probe " + i, "body", "a brand new post about topic " + i)).expect(201)
                        .json().get("firstPost").get("id").getLongValue());
                Thread.sleep(300);
            }
            PendingJobs.awaitDrained(context, "moderate", "embed");
        }
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        List<Double> millis = tx.executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("""
                    SELECT extract(epoch FROM (e.embedded_at - d.created_at)) * 1000
                      FROM moderation_decisions d JOIN post_embeddings e ON e.post_id = d.post_id AND e.chunk = 0
                     WHERE d.post_id = ANY (?)""")) {
                s.setArray(1, status.getConnection().createArrayOf("bigint", postIds.toArray()));
                List<Double> values = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        values.add(r.getDouble(1));
                    }
                }
                return values;
            }
        });
        Collections.sort(millis);
        return String.format("%n| publish to searchable, at idle | posts | p50 ms | p95 ms |%n|---|---:|---:|---:|%n"
                        + "| moderation decision to stored embedding | %d | %.0f | %.0f |%n", millis.size(),
                millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.95)));
    }

    private static String text(Random random) {
        return text(random, random.nextInt(TOPICS.length));
    }

    private static String text(Random random, int topic) {
        StringBuilder text = new StringBuilder(TOPICS[topic]);
        String second = TOPICS[random.nextInt(TOPICS.length)];
        text.append(' ').append(second.split(" ")[random.nextInt(3)]);
        for (int i = 0; i < 12; i++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

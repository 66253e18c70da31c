package dev.parley.bench;

import dev.parley.bench.manpages.FloorCalibration;
import dev.parley.bench.manpages.LabelledQuery;
import dev.parley.bench.manpages.ManCorpus;
import dev.parley.bench.manpages.ManPageSource;
import dev.parley.bench.manpages.RankingMetrics;
import dev.parley.search.EmbeddingModel;
import dev.parley.search.embedding.EmbeddingModels;
import dev.parley.support.Api;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.transaction.TransactionOperations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Search relevance on a corpus nobody on the team wrote: Debian's manual pages (the packages and
 * versions in {@code bench/manpages/packages.txt}, fetched and unpacked by {@code scripts/bench-relevance.sh
 * --manpages}), one page a thread, its sections as posts. Three classes of query: known-item (each
 * page's own NAME-line summary, its names removed), reworded questions ({@code questions.txt}) and
 * keyword/identifier queries ({@code identifiers.txt}). Every query goes over HTTP in each mode to the
 * service running in-process with its configured model; the same run computes the exact whole-document
 * baseline (each thread's title and whole first post embedded by the same model, exact cosine scan).
 * Prints Markdown tables: recall@5, MRR@10, nDCG@10 ({@link RankingMetrics}) per class and mode.
 *
 * <p>Argument: the directory the packages were unpacked into, one subdirectory per package.
 */
public final class ManpagesRelevanceBenchmark {

    private static final String[] MODES = {"semantic", "keyword", "hybrid"};
    private static final String BASELINE = "whole-document baseline";
    /** Keyword search as it was before issue 16: every term required ({@link #andOnly}). */
    private static final String AND_ONLY = "keyword AND-only (before issue 16)";
    private static final List<String> CLASSES = List.of("known-item", "reworded", "identifier");
    /** Concurrent HTTP clients while loading the corpus: enough to keep the two job workers fed. */
    private static final int LOADERS = 4;

    private ManpagesRelevanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManpagesRelevanceBenchmark <unpacked-packages-dir>");
        }
        List<ManPageSource.Package> packages = ManPageSource.manifest(resource("packages.txt"));
        ManPageSource.Corpus corpus = ManPageSource.read(Path.of(args[0]), packages);
        Map<String, ManCorpus.Thread> byKey = new LinkedHashMap<>();
        corpus.threads().forEach(t -> byKey.put(t.key(), t));
        List<LabelledQuery> queries = new ArrayList<>(knownItems(corpus.threads()));
        List<LabelledQuery> reworded = LabelledQuery.read("reworded", resource("questions.txt"));
        List<LabelledQuery> identifiers = LabelledQuery.read("identifier", resource("identifiers.txt"));
        checkLabels(reworded, byKey, false);
        checkLabels(identifiers, byKey, true);
        queries.addAll(reworded);
        queries.addAll(identifiers);
        long posts = corpus.threads().stream().mapToLong(t -> t.posts().size()).sum();
        long words = corpus.threads().stream().flatMap(t -> t.posts().stream()).mapToLong(p -> p.split("\\s+").length)
                .sum();

        try (ApplicationContext context = ApplicationContext.builder().environments("test")
                .properties(Map.of("micronaut.server.port", "-1")).start()) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            Api api = new Api(server, context.getBean(JsonMapper.class));
            EmbeddingModel model = context.getBean(EmbeddingModels.class).configured();
            Api.User author = api.register("manpages");
            String slug = api.category("manpages");

            long loadStart = System.nanoTime();
            Map<Long, String> keyOf = load(context, api, author, slug, corpus.threads());
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long[] stored = stored(context, slug, model.name());

            long baselineStart = System.nanoTime();
            List<String> keys = new ArrayList<>(byKey.keySet());
            List<float[]> documents = model.embed(keys.stream()
                    .map(k -> byKey.get(k).title() + "\n\n" + byKey.get(k).posts().get(0)).toList());
            double baselineSeconds = (System.nanoTime() - baselineStart) / 1e9;

            Map<String, double[]> totals = new LinkedHashMap<>();
            FloorCalibration floor = new FloorCalibration();
            FloorCalibration rewordedFloor = new FloorCalibration();
            long queryStart = System.nanoTime();
            List<float[]> queryVectors = queries.stream().map(q -> model.embedQuery(q.text())).toList();
            for (int q = 0; q < queries.size(); q++) {
                LabelledQuery query = queries.get(q);
                for (String mode : MODES) {
                    List<String> ranked = new ArrayList<>();
                    List<Double> scores = new ArrayList<>();
                    for (JsonNode r : api.get("/api/search?limit=10&mode=" + mode + "&category=" + slug + "&q="
                            + URLEncoder.encode(query.text(), StandardCharsets.UTF_8), null).expect(200).json()
                            .get("results").values()) {
                        ranked.add(keyOf.get(r.get("thread").get("id").getLongValue()));
                        scores.add(r.get("score").getDoubleValue());
                    }
                    if (mode.equals("semantic")) {
                        // The floor is on a thread's best passage, not on the blended score served.
                        List<Double> passages = bestPassages(context, slug, model.name(), queryVectors.get(q),
                                keyOf, ranked);
                        floor.labelled(ranked, passages, query.grades());
                        if (query.queryClass().equals("reworded")) {
                            rewordedFloor.labelled(ranked, passages, query.grades());
                        }
                    }
                    add(totals, query.queryClass(), mode, RankingMetrics.score(ranked, query.grades()));
                }
                add(totals, query.queryClass(), AND_ONLY,
                        RankingMetrics.score(andOnly(context, slug, query.text(), keyOf), query.grades()));
                add(totals, query.queryClass(), BASELINE,
                        RankingMetrics.score(nearest(queryVectors.get(q), documents, keys), query.grades()));
            }
            double querySeconds = (System.nanoTime() - queryStart) / 1e9;
            for (String offTopic : resource("off-topic.txt")) {
                if (offTopic.isBlank() || offTopic.startsWith("#")) {
                    continue;
                }
                List<String> ranked = new ArrayList<>();
                api.get("/api/search?limit=10&mode=semantic&category=" + slug + "&q="
                                + URLEncoder.encode(offTopic, StandardCharsets.UTF_8), null).expect(200).json()
                        .get("results").values().forEach(r -> ranked.add(keyOf.get(r.get("thread").get("id")
                                .getLongValue())));
                // The best passage anywhere in the category, not only among the served threads.
                List<Double> best = bestPassages(context, slug, model.name(), model.embedQuery(offTopic), keyOf,
                        null);
                floor.offTopic(best);
                rewordedFloor.offTopic(best);
            }
            String dump = System.getenv("PARLEY_RELEVANCE_DUMP");
            if (dump != null) {
                dumpForTuning(Path.of(dump), context, api, slug, model, keyOf, queries, queryVectors);
            }

            Map<String, Long> perClass = queries.stream()
                    .collect(Collectors.groupingBy(LabelledQuery::queryClass, LinkedHashMap::new, Collectors.counting()));
            System.out.println();
            System.out.printf(Locale.ROOT, "Corpus: %d manual pages from %s as threads: %d posts, %d words (%d pages"
                            + " skipped as links, %d as mdoc, %d as duplicates, %d without a NAME line); %d posts"
                            + " published, %d embedded chunks (model %s).%n", corpus.threads().size(),
                    packages.stream().map(p -> p.name() + " " + p.version()).collect(Collectors.joining(", ")),
                    posts, words, corpus.links(), corpus.mdoc(), corpus.duplicates(), corpus.empty(), stored[0],
                    stored[1], model.name());
            System.out.printf(Locale.ROOT, "Loaded: over HTTP with %d clients, moderated and embedded by the job"
                            + " pipeline in %.0f s; whole-document baseline embedded in %.0f s; %d queries x 3 modes"
                            + " in %.0f s.%n", LOADERS, loadSeconds, baselineSeconds, queries.size(), querySeconds);
            System.out.println();
            System.out.println("| queries | mode | recall@5 | MRR@10 | nDCG@10 |");
            System.out.println("|---|---|---:|---:|---:|");
            for (String queryClass : CLASSES) {
                for (String mode : List.of(MODES[0], MODES[1], MODES[2], BASELINE, AND_ONLY)) {
                    double[] t = totals.get(queryClass + "/" + mode);
                    System.out.printf(Locale.ROOT, "| %s (%d) | %s | %.3f | %.3f | %.3f |%n", queryClass,
                            perClass.get(queryClass), mode, t[0] / t[3], t[1] / t[3], t[2] / t[3]);
                }
            }
            System.out.println();
            System.out.println("Semantic score floor (model " + model.name() + "; similarity of the thread's best"
                    + " passage, exact, as the floor is applied; first relevant result in the top 10 as served):");
            System.out.println();
            System.out.print(floor.table(0.10, 0.90, 0.05));
            System.out.println();
            System.out.println("The same for reworded questions alone:");
            System.out.println();
            System.out.print(rewordedFloor.table(0.10, 0.90, 0.05));
        }
    }

    /** One query per distinct NAME-line summary; pages that share a summary are all relevant to it. */
    private static List<LabelledQuery> knownItems(List<ManCorpus.Thread> threads) {
        Map<String, Map<String, Integer>> bySummary = new LinkedHashMap<>();
        Map<String, String> text = new HashMap<>();
        for (ManCorpus.Thread thread : threads) {
            String normalised = thread.summary().toLowerCase(Locale.ROOT).strip();
            text.putIfAbsent(normalised, thread.summary());
            bySummary.computeIfAbsent(normalised, s -> new LinkedHashMap<>()).put(thread.key(), 2);
        }
        List<LabelledQuery> queries = new ArrayList<>();
        bySummary.forEach((summary, grades) -> queries.add(new LabelledQuery("known-item", text.get(summary), grades)));
        return queries;
    }

    /**
     * Every label names a page of the corpus; an identifier's grade-2 pages contain it (the corpus keeps
     * at most {@link ManCorpus#MAX_POSTS} posts of a page, and a label must not point at what was cut).
     */
    private static void checkLabels(List<LabelledQuery> queries, Map<String, ManCorpus.Thread> byKey,
                                    boolean containsText) {
        List<String> problems = new ArrayList<>();
        for (LabelledQuery query : queries) {
            query.grades().forEach((key, grade) -> {
                ManCorpus.Thread thread = byKey.get(key);
                if (thread == null) {
                    problems.add(query.text() + ": no page " + key);
                } else if (containsText && grade == 2 && !(thread.title() + "\n" + String.join("\n", thread.posts()))
                        .toLowerCase(Locale.ROOT).contains(query.text().toLowerCase(Locale.ROOT))) {
                    problems.add(query.text() + ": not in the thread of " + key);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("labels that do not fit the corpus:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * Opens every thread, then (once moderation has published the opening posts) posts the replies, and
     * waits until moderation and embedding are done. Returns each thread id's page key.
     */
    private static Map<Long, String> load(ApplicationContext context, Api api, Api.User author, String slug,
                                          List<ManCorpus.Thread> threads) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(LOADERS);
        try {
            List<Future<Long>> opened = new ArrayList<>();
            for (ManCorpus.Thread thread : threads) {
                opened.add(clients.submit(() -> api.post("/api/threads", author.token(), Map.of("category", slug,
                        "title", thread.title(), "body", thread.posts().get(0))).expect(201).id()));
            }
            Map<Long, String> keyOf = new HashMap<>();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < threads.size(); i++) {
                long id = opened.get(i).get();
                ids.add(id);
                keyOf.put(id, threads.get(i).key());
            }
            PendingJobs.awaitDrained(context, "moderate");
            List<Future<?>> replies = new ArrayList<>();
            for (int i = 0; i < threads.size(); i++) {
                long id = ids.get(i);
                List<String> posts = threads.get(i).posts();
                replies.add(clients.submit(() -> {
                    for (String body : posts.subList(1, posts.size())) {
                        api.post("/api/threads/" + id + "/posts", author.token(), Map.of("body", body)).expect(201);
                    }
                    return null;
                }));
            }
            for (Future<?> reply : replies) {
                reply.get();
            }
            PendingJobs.awaitDrained(context, "moderate", "embed");
            return keyOf;
        } finally {
            clients.shutdownNow();
        }
    }

    /** Published posts and their embedded chunks in the category, to report that nothing was held back. */
    @SuppressWarnings("unchecked")
    private static long[] stored(ApplicationContext context, String slug, String model) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (var statement = status.getConnection().prepareStatement("""
                    SELECT count(DISTINCT p.id) FILTER (WHERE p.status = 'published'), count(e.post_id)
                      FROM posts p JOIN threads t ON t.id = p.thread_id JOIN categories c ON c.id = t.category_id
                      LEFT JOIN post_embeddings e ON e.post_id = p.id AND e.post_version = p.version AND e.model = ?
                     WHERE c.slug = ?""")) {
                statement.setString(1, model);
                statement.setString(2, slug);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return new long[] {rows.getLong(1), rows.getLong(2)};
                }
            }
        });
    }

    /**
     * Writes, per query (one JSON line each), what tuning the ranking needs without running the service
     * again: the semantic and keyword rankings over HTTP (100 threads, with scores) and, for every thread
     * of the corpus, the exact cosine distances of its thread vector and of its best passage.
     */
    @SuppressWarnings("unchecked")
    private static void dumpForTuning(Path file, ApplicationContext context, Api api, String slug, EmbeddingModel model,
                                      Map<Long, String> keyOf, List<LabelledQuery> queries, List<float[]> vectors)
            throws IOException {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        JsonMapper json = context.getBean(JsonMapper.class);
        try (var out = java.nio.file.Files.newBufferedWriter(file)) {
            for (int q = 0; q < queries.size(); q++) {
                LabelledQuery query = queries.get(q);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("class", query.queryClass());
                line.put("text", query.text());
                line.put("grades", query.grades());
                for (String mode : List.of("semantic", "keyword")) {
                    List<List<Object>> ranked = new ArrayList<>();
                    String cursor = "";
                    // Two pages of 50: as deep as the lists hybrid search fuses (SearchService.HYBRID_LIST_DEPTH).
                    for (int page = 0; page < 2 && cursor != null; page++) {
                        JsonNode answer = api.get("/api/search?limit=50&mode=" + mode + "&category=" + slug + "&q="
                                + URLEncoder.encode(query.text(), StandardCharsets.UTF_8) + cursor, null).expect(200)
                                .json();
                        for (JsonNode r : answer.get("results").values()) {
                            ranked.add(List.of(keyOf.get(r.get("thread").get("id").getLongValue()),
                                    r.get("score").getDoubleValue()));
                        }
                        JsonNode next = answer.get("nextCursor");
                        cursor = next == null || next.isNull() ? null
                                : "&cursor=" + URLEncoder.encode(next.getStringValue(), StandardCharsets.UTF_8);
                    }
                    line.put(mode, ranked);
                }
                com.pgvector.PGvector vector = new com.pgvector.PGvector(vectors.get(q));
                line.put("exact", tx.executeRead(status -> {
                    try (var statement = status.getConnection().prepareStatement("""
                            SELECT p.thread_id, min(e.embedding <=> ?) AS passage,
                                   (SELECT te.embedding <=> ? FROM thread_embeddings te
                                     WHERE te.model = ? AND te.thread_id = p.thread_id) AS thread
                              FROM post_embeddings e
                              JOIN posts p ON p.id = e.post_id AND p.version = e.post_version AND p.status = 'published'
                              JOIN threads t ON t.id = p.thread_id JOIN categories c ON c.id = t.category_id
                             WHERE e.model = ? AND c.slug = ?
                             GROUP BY p.thread_id""")) {
                        statement.setObject(1, vector);
                        statement.setObject(2, vector);
                        statement.setString(3, model.name());
                        statement.setString(4, model.name());
                        statement.setString(5, slug);
                        List<List<Object>> rows = new ArrayList<>();
                        try (var r = statement.executeQuery()) {
                            while (r.next()) {
                                rows.add(List.of(keyOf.get(r.getLong(1)), r.getDouble(2), r.getDouble(3)));
                            }
                        }
                        return rows;
                    }
                }));
                out.write(json.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    /**
     * The similarity of each thread's best passage to {@code vector}, exactly (a scan of the category's
     * chunks): for the threads in {@code ranked}, in that order, or (null) the best of all threads first.
     */
    @SuppressWarnings("unchecked")
    private static List<Double> bestPassages(ApplicationContext context, String slug, String model, float[] vector,
                                             Map<Long, String> keyOf, List<String> ranked) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        Map<String, Double> similarity = tx.executeRead(status -> {
            try (var statement = status.getConnection().prepareStatement("""
                    SELECT p.thread_id, 1 - min(e.embedding <=> ?) AS similarity
                      FROM post_embeddings e
                      JOIN posts p ON p.id = e.post_id AND p.version = e.post_version AND p.status = 'published'
                      JOIN threads t ON t.id = p.thread_id JOIN categories c ON c.id = t.category_id
                     WHERE e.model = ? AND c.slug = ?
                     GROUP BY p.thread_id""")) {
                statement.setObject(1, new com.pgvector.PGvector(vector));
                statement.setString(2, model);
                statement.setString(3, slug);
                Map<String, Double> rows = new HashMap<>();
                try (var r = statement.executeQuery()) {
                    while (r.next()) {
                        rows.put(keyOf.get(r.getLong(1)), r.getDouble(2));
                    }
                }
                return rows;
            }
        });
        if (ranked == null) {
            return similarity.values().stream().sorted(Comparator.reverseOrder()).limit(10).toList();
        }
        return ranked.stream().map(k -> similarity.getOrDefault(k, Double.NEGATIVE_INFINITY)).toList();
    }

    /**
     * The ten best threads of keyword search as it was before issue 16 (the statement of commit 19e0fdf):
     * {@code websearch_to_tsquery} of the whole query, so a post must contain every term, ranked by
     * {@code ts_rank_cd}, best post per thread. Run here beside the served keyword mode, so that both
     * are measured on the same corpus in the same run.
     */
    @SuppressWarnings("unchecked")
    private static List<String> andOnly(ApplicationContext context, String slug, String query,
                                        Map<Long, String> keyOf) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (var statement = status.getConnection().prepareStatement("""
                    WITH q AS (SELECT websearch_to_tsquery('english', ?) AS query),
                    best AS (
                        SELECT DISTINCT ON (p.thread_id) d.post_id, p.thread_id, ts_rank_cd(d.document, q.query) AS rank
                          FROM search_documents d CROSS JOIN q
                          JOIN posts p ON p.id = d.post_id AND p.status = 'published' AND p.version = d.post_version
                          JOIN threads t ON t.id = p.thread_id AND t.visible
                          JOIN categories c ON c.id = t.category_id
                         WHERE d.document @@ q.query AND c.slug = ?
                         ORDER BY p.thread_id, rank DESC, d.post_id)
                    SELECT thread_id FROM best ORDER BY rank DESC, post_id LIMIT 10""")) {
                statement.setString(1, query);
                statement.setString(2, slug);
                List<String> keys = new ArrayList<>();
                try (var r = statement.executeQuery()) {
                    while (r.next()) {
                        keys.add(keyOf.get(r.getLong(1)));
                    }
                }
                return keys;
            }
        });
    }

    /** The ten keys whose vectors are nearest to {@code query} by cosine, exactly. */
    private static List<String> nearest(float[] query, List<float[]> documents, List<String> keys) {
        List<Integer> order = new ArrayList<>();
        double[] scores = new double[documents.size()];
        for (int i = 0; i < documents.size(); i++) {
            scores[i] = cosine(query, documents.get(i));
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparing(keys::get));
        return order.stream().limit(10).map(keys::get).toList();
    }

    /** Cosine similarity, computed exactly in double precision. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static void add(Map<String, double[]> totals, String queryClass, String mode, RankingMetrics.Scores s) {
        double[] t = totals.computeIfAbsent(queryClass + "/" + mode, k -> new double[4]);
        t[0] += s.recallAt5();
        t[1] += s.mrrAt10();
        t[2] += s.ndcgAt10();
        t[3]++;
    }

    private static List<String> resource(String name) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                ManpagesRelevanceBenchmark.class.getResourceAsStream("/bench/manpages/" + name), name),
                StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }
}

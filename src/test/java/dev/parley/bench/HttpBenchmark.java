package dev.parley.bench;

import dev.parley.bench.LoadTools.Load;
import dev.parley.search.EmbeddingModel;
import io.micronaut.context.ApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP benchmark of {@code scripts/bench.sh}: the service started from its jar as users start it,
 * on its own fresh database, loaded with wrk, next to a baseline measured in the same run at the same
 * concurrency — pgbench running the service's own SQL for writes and reads, the in-process model plus
 * the service's SQL for search. Also start-up time, resident memory, and (with {@code sizing=true})
 * the settings sweep that chose the 2-core defaults. Writes Markdown fragments under
 * {@code docs/bench/} and PNG plots under {@code docs/}.
 *
 * <p>Arguments are {@code key=value}: jar, javaOpts, dbHost, dbPort, db, port, levels (e.g. 1,4,16),
 * seconds, threads (per side), users, restarts, sizing, mode, docs, work, parts.
 *
 * <p>{@code parts=reads} runs only the read load (with an HTTP floor beside it) on threads filled by SQL,
 * and prints its table instead of writing fragments; with it, {@code profile=DIR} records a JFR profile
 * of the service during each read point.
 *
 * <p>{@code parts=all} (the default) runs everything above. {@code parts=request-path} runs only the
 * create-post request path: the service with its workers off against pgbench running {@code post.sql},
 * beside the HTTP floor at every level; it prints a table and writes it to {@code work/request-path.md},
 * leaving {@code docs/} alone. With {@code profile=DIR} each service point of that part is recorded with
 * JFR into {@code DIR/request-path-c<clients>.jfr}.
 *
 * <p>{@code parts=end-to-end} runs only create post end to end, as the full run measures it (each point's
 * replies, then their drain by the workers, then pgbench on {@code post-end-to-end.sql}, and the model's
 * raw rate on the replies' texts), and prints its table to {@code work/end-to-end.md}, leaving
 * {@code docs/} alone. With {@code profile=DIR} each point's load and drain is recorded with JFR into
 * {@code DIR/end-to-end-c<clients>.jfr}.
 *
 * <p>The HTTP floor of both parts is wrk on {@code floorPath} (default {@link #FLOOR_PATH}): the same
 * server answering an anonymous route that does no work of its own, through the same filters and the
 * same executor hop as the API. Both parts also print the CPU budget of each point (see
 * {@link CpuBudget}): milliseconds of CPU per operation of the service, PostgreSQL and the load
 * generator, for the service and for pgbench.
 */
public final class HttpBenchmark {

    /**
     * The floor's route: {@code GET /swagger-ui}, a 303 from a controller on the blocking executor, no
     * database, no JSON. Not {@code /health/liveness}: until the liveness check was cached, every call of
     * it stopped the JVM at a safepoint to look for deadlocked threads, so it measured that, not HTTP.
     */
    static final String FLOOR_PATH = "/swagger-ui";

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final String JWT_SECRET = "parley-bench-secret-not-for-production-0123456789";
    private static final List<String> QUERIES = List.of(
            "how to grind coffee for espresso", "bread starter smells strange", "choosing a paddle for kayaking",
            "database table still large after deleting rows", "sore feet from new walking shoes",
            "seeing jupiter from town", "vegetables cracking after a storm", "dog bites the lead",
            "spending less at the supermarket", "bike drivetrain slipping uphill", "car will not start when frozen",
            "learning to play chords", "trouble falling asleep", "container networking to localhost",
            "resolving conflicts after rebase", "relocating to another country for a job",
            "water stain on the ceiling", "winning pawn endgames", "preparing for a long distance race",
            "phone loses charge quickly", "coffee beans freshness", "fermenting dough overnight",
            "which lake boat for beginners", "query planner ignores my index", "waterproof boots for trails",
            "astronomy for beginners", "composting kitchen scraps", "leash training a young dog",
            "monthly food budget tips", "replacing a worn chain");

    private final Map<String, String> opt;
    private final Path jar;
    private final String javaOpts;
    private final int port;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final int[] levels;
    private final int seconds;
    private final Path docs;
    private final Path work;
    private final LoadTools tools;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> serviceEnv = new LinkedHashMap<>();

    private HttpBenchmark(Map<String, String> opt) throws IOException {
        this.opt = opt;
        jar = Path.of(required("jar"));
        javaOpts = required("javaOpts");
        port = Integer.parseInt(opt.getOrDefault("port", "18200"));
        String host = opt.getOrDefault("dbHost", "127.0.0.1");
        int dbPort = Integer.parseInt(opt.getOrDefault("dbPort", "5432"));
        String db = required("db");
        jdbcUrl = "jdbc:postgresql://" + host + ":" + dbPort + "/" + db;
        dbUser = envOr("DATASOURCES_DEFAULT_USERNAME", "parley");
        dbPassword = envOr("DATASOURCES_DEFAULT_PASSWORD", "parley");
        levels = Arrays.stream(opt.getOrDefault("levels", "1,4,16").split(",")).mapToInt(Integer::parseInt).toArray();
        seconds = Integer.parseInt(opt.getOrDefault("seconds", "5"));
        docs = Path.of(opt.getOrDefault("docs", "docs"));
        work = Path.of(opt.getOrDefault("work", "target/bench"));
        Files.createDirectories(work);
        Files.createDirectories(docs.resolve("bench"));
        tools = new LoadTools(work, host, dbPort, db, dbUser, dbPassword);

        serviceEnv.put("DATASOURCES_DEFAULT_URL", jdbcUrl);
        serviceEnv.put("PARLEY_JWT_SECRET", JWT_SECRET);
        // Per-user posting limits would turn a load test into a rate-limit test: switched off here.
        // PARLEY_LIMITS_RATE_ENABLED is the switch the limits work is expected to read (parley.limits.rate.*);
        // until it exists Micronaut ignores it. PARLEY_BENCH_SERVICE_ENV adds or overrides any variable.
        serviceEnv.put("PARLEY_LIMITS_RATE_ENABLED", "false");
        String extra = System.getenv("PARLEY_BENCH_SERVICE_ENV");
        if (extra != null && !extra.isBlank()) {
            for (String pair : extra.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("PARLEY_BENCH_SERVICE_ENV wants KEY=VALUE pairs, got " + pair);
                }
                serviceEnv.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            opt.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new HttpBenchmark(opt).run();
        System.exit(0);
    }

    private record Seed(List<String> tokens, long userMin, long userMax, long serviceThreads, long baselineThreads,
                        int threadCount) {

        /** The bearer tokens, one per line, for the wrk script. */
        Path tokensFile(Path work) throws IOException {
            return Files.write(work.resolve("tokens.txt"), tokens);
        }
    }

    private record Startup(String label, double seconds, double rssMib) {
    }

    /**
     * Each search mode at one client on queries the service has never seen (its query-embedding cache
     * cannot answer; the cache's own hit counter, read before and after, shows it did not), next to
     * one in-process query embedding, all in this run: a semantic or hybrid search should cost at most
     * 1.5 × (keyword search + one query embedding). The repeated-query figure beside them is what the
     * cache gives a popular query.
     */
    private record OneClientSearch(Load semantic, Load hybrid, Load keyword, Load embedding, Load repeated,
                                   long cacheHits) {

        double bound() {
            return 1.5 * (keyword.p50Ms() + embedding.p50Ms());
        }

        String verdict(Load mode) {
            return mode.p50Ms() <= bound() ? "yes" : "**no**";
        }

        String table() {
            return String.format(Locale.ROOT, """
                    At one client, each mode on queries the service has not seen before (each of the 30 queries
                    with a number appended, a fresh set per mode, so every semantic and hybrid request embeds its
                    query: the cache counted %d hits during these points and the load points above), against a keyword search plus one
                    query embedding by the same model in this benchmark's JVM, measured in the same run:

                    | one client, unseen queries | p50 ms | p99 ms | p50 ≤ 1.5 × (keyword + embedding) |
                    |---|---:|---:|---|
                    | semantic search (HTTP) | %.1f | %.1f | %s |
                    | hybrid search (HTTP) | %.1f | %.1f | %s |
                    | keyword search (HTTP) | %.1f | %.1f | |
                    | query embedding (in-process) | %.1f | %.1f | |
                    | 1.5 × (keyword + embedding) | %.1f | | |
                    | semantic search, the 30 queries repeated (cache hits) | %.1f | %.1f | |

                    """, cacheHits, semantic.p50Ms(), semantic.p99Ms(), verdict(semantic), hybrid.p50Ms(),
                    hybrid.p99Ms(), verdict(hybrid), keyword.p50Ms(), keyword.p99Ms(), embedding.p50Ms(),
                    embedding.p99Ms(), bound(), repeated.p50Ms(), repeated.p99Ms());
        }
    }

    private record Row(Load service, Load baseline, double drainSeconds) {
        double ratio() {
            return service.perSecond() / baseline.perSecond();
        }
    }

    private void run() throws Exception {
        if ("reads".equals(opt.get("parts"))) {
            runReads();
            return;
        }
        if ("request-path".equals(opt.getOrDefault("parts", "all"))) {
            runRequestPath();
            return;
        }
        if ("end-to-end".equals(opt.get("parts"))) {
            runEndToEnd();
            return;
        }
        if ("replica".equals(opt.get("parts"))) {
            runReplica();
            return;
        }
        long began = System.nanoTime();
        Path log = work.resolve("service.log");
        Files.deleteIfExists(log);
        List<Startup> startups = new ArrayList<>();
        Map<String, Double> memory = new LinkedHashMap<>();
        List<Row> writes = new ArrayList<>();
        List<Row> reads = new ArrayList<>();
        List<Row> searches = new ArrayList<>();
        Load embedOnly;
        OneClientSearch oneClient;
        String searchCheck;
        long corpus;
        Seed seed;

        List<Load> requestOnly = new ArrayList<>();
        List<Load> endToEndSql = new ArrayList<>();
        double modelPostsPerSecond;
        long backlogPosts;
        double backlogSeconds;
        ServiceProcess service = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log);
        try {
            double first = service.awaitHealthy(Duration.ofMinutes(3));
            startups.add(new Startup("first start, empty database (migrations)", first, service.rssMib()));
            progress("service healthy after %.1f s (first start)", first);
            memory.put("idle, just started", service.rssMib());

            seed = seed(service.base(), Integer.parseInt(opt.getOrDefault("users", "8")),
                    Integer.parseInt(opt.getOrDefault("threads", "64")));
            drain(Duration.ofMinutes(5));
            Thread.sleep(2000);
            memory.put("idle, after seeding", service.rssMib());

            // Writes: wrk against the service, the backlog of moderation and embedding drained, then
            // pgbench with the same clients, so each side has the machine to itself.
            warmUp(service, "post.lua", seed.tokensFile(work), seed);
            drain(Duration.ofMinutes(5));
            for (int c : levels) {
                Load s = tools.wrk(service.base(), "post.lua", c, seconds, service::rssMib,
                        seed.tokensFile(work).toString(), String.valueOf(seed.serviceThreads()),
                        String.valueOf(seed.threadCount()));
                long t0 = System.nanoTime();
                drain(Duration.ofMinutes(10));
                double drainSeconds = (System.nanoTime() - t0) / 1e9;
                Load b = tools.pgbench(c, seconds, List.of("post.sql"), Map.of("umin", seed.userMin(),
                        "umax", seed.userMax(), "tmin", seed.baselineThreads(),
                        "tmax", seed.baselineThreads() + seed.threadCount() - 1));
                writes.add(new Row(s, b, drainSeconds));
                Load e = tools.pgbench(c, seconds, List.of("post-end-to-end.sql"), Map.of("umin", seed.userMin(),
                        "umax", seed.userMax(), "tmin", seed.baselineThreads(),
                        "tmax", seed.baselineThreads() + seed.threadCount() - 1));
                endToEndSql.add(e);
                progress("write c=%d: service %.0f/s, pgbench %.0f/s, drain %.1f s, end-to-end SQL %.0f/s", c,
                        s.perSecond(), b.perSecond(), drainSeconds, e.perSecond());
            }
            forgetEndToEndBaseline(seed);
            modelPostsPerSecond = modelRate(seed);
            progress("the model embeds the replies' texts at %.0f/s in-process", modelPostsPerSecond);

            // The request path alone: the same service with its workers off, so that moderation and
            // embedding do not share the cores with the requests. The backlog it leaves is then drained
            // by the service restarted with its workers, which measures the pipeline at full speed.
            service.close();
            Map<String, String> noWorkers = new LinkedHashMap<>(serviceEnv);
            noWorkers.put("PARLEY_PIPELINE_WORKERS_ENABLED", "false");
            service = ServiceProcess.start(jar, javaOpts, port, noWorkers, log);
            service.awaitHealthy(Duration.ofMinutes(3));
            warmUntilSteady(service, "post.lua", seed.tokensFile(work).toString(), String.valueOf(seed.serviceThreads()),
                    String.valueOf(seed.threadCount()));
            for (int c : levels) {
                Load s = tools.wrk(service.base(), "post.lua", c, seconds, service::rssMib,
                        seed.tokensFile(work).toString(), String.valueOf(seed.serviceThreads()),
                        String.valueOf(seed.threadCount()));
                requestOnly.add(s);
                progress("write c=%d, workers off: service %.0f/s", c, s.perSecond());
            }
            service.close();
            backlogPosts = count("SELECT count(*) FROM jobs WHERE kind = 'moderate' AND state = 'queued'");
            if (Boolean.parseBoolean(opt.getOrDefault("drainBacklog", "true"))) {
                service = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log);
                service.awaitHealthy(Duration.ofMinutes(3));
                long t0 = System.nanoTime();
                drain(Duration.ofMinutes(15));
                backlogSeconds = (System.nanoTime() - t0) / 1e9;
                progress("backlog of %d posts moderated and embedded in %.1f s", backlogPosts, backlogSeconds);
            } else {
                // Quick mode: a minute of draining does not fit in its budget. The never-moderated
                // posts and their jobs go, so nothing runs in the background during reads and search.
                execute("DELETE FROM jobs WHERE kind = 'moderate' AND state = 'queued'");
                execute("DELETE FROM posts WHERE status = 'pending'");
                backlogSeconds = Double.NaN;
                service = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log);
                service.awaitHealthy(Duration.ofMinutes(3));
            }
            // After tens of thousands of inserts in a minute the planner's statistics lag behind (a
            // search plan on stale row counts measured 110 ms instead of 8 ms); refresh them, as
            // autovacuum would shortly, so that reads and search are measured on settled plans.
            analyze();

            Map<String, Long> readVars = Map.of("tmin", seed.serviceThreads(),
                    "tmax", seed.serviceThreads() + seed.threadCount() - 1);
            tools.wrk(service.base(), "read.lua", 4, warmSeconds(), service::rssMib,
                    String.valueOf(seed.serviceThreads()), String.valueOf(seed.threadCount()));
            for (int c : levels) {
                Load s = tools.wrk(service.base(), "read.lua", c, seconds, service::rssMib,
                        String.valueOf(seed.serviceThreads()), String.valueOf(seed.threadCount()));
                Load b = tools.pgbench(c, seconds, List.of("thread.sql", "thread-posts.sql"), readVars);
                reads.add(new Row(s, b, Double.NaN));
                progress("read c=%d: service %.0f/s, pgbench %.0f/s", c, s.perSecond(), b.perSecond());
            }

            corpus = count("SELECT count(*) FROM post_embeddings");
            Path queries = work.resolve("queries.txt");
            Files.write(queries, QUERIES.stream().map(q -> URLEncoder.encode(q, StandardCharsets.UTF_8)).toList());
            try (ApplicationContext context = baselineContext()) {
                EmbeddingModel model = context.getBean(EmbeddingModel.class);
                SearchBaseline baseline = new SearchBaseline(model, jdbcUrl, dbUser, dbPassword);
                searchCheck = compareSearch(service.base(), baseline);
                tools.wrk(service.base(), "search.lua", 2, warmSeconds(), service::rssMib, queries.toString());
                baseline.embedAndQuery(QUERIES, 2, warmSeconds());
                // Queries the service has not seen at every level: the baseline embeds every query, and
                // so must the service, or its figure measures the query cache.
                long hitsBefore = cacheHits(service.base());
                for (int c : levels) {
                    Load s = tools.wrk(service.base(), "search.lua", c, seconds, service::rssMib,
                            unseen("level" + c, 10 + c).toString());
                    Load b = baseline.embedAndQuery(QUERIES, c, seconds);
                    searches.add(new Row(s, b, Double.NaN));
                    progress("search c=%d: service %.0f/s, in-process %.0f/s", c, s.perSecond(), b.perSecond());
                }
                embedOnly = baseline.embedOnly(QUERIES, 2, seconds);
                oneClient = oneClientSearch(service, baseline, hitsBefore);
                progress("one client, unseen queries: semantic p50 %.1f ms, hybrid %.1f ms, keyword %.1f ms, "
                                + "query embedding %.1f ms (cache hits %d)", oneClient.semantic().p50Ms(),
                        oneClient.hybrid().p50Ms(), oneClient.keyword().p50Ms(), oneClient.embedding().p50Ms(),
                        oneClient.cacheHits());
            }
            Thread.sleep(3000);
            memory.put("idle, after the loads (service restarted after the workers-off runs)", service.rssMib());
            memory.put("peak of that restarted service (VmHWM)", service.peakRssMib());
        } finally {
            service.close();
        }

        int restarts = Integer.parseInt(opt.getOrDefault("restarts", "1"));
        for (int i = 1; i <= restarts; i++) {
            try (ServiceProcess again = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log)) {
                double s = again.awaitHealthy(Duration.ofMinutes(3));
                startups.add(new Startup("restart " + i + ", migrated database with " + corpus + " embedded chunks",
                        s, again.rssMib()));
                progress("restart %d healthy after %.1f s", i, s);
            }
        }

        String sizing = Boolean.parseBoolean(opt.getOrDefault("sizing", "false")) ? sizing(seed, log) : null;

        writeFragments(startups, memory, writes, requestOnly, endToEndSql, modelPostsPerSecond, backlogPosts,
                backlogSeconds, reads, searches,
                embedOnly, oneClient, searchCheck, corpus, sizing, (System.nanoTime() - began) / 1e9);
    }

    /**
     * The read load alone, for profiling the read path: the threads are filled with published replies
     * by SQL (about as many as the quick mode's write load leaves) instead of by the write load. Beside
     * each point, the HTTP floor (the same wrk settings against {@link #FLOOR_PATH}) and the CPU budget
     * of the service's point, of pgbench's and of the floor's.
     */
    private void runReads() throws Exception {
        Path log = work.resolve("service.log");
        Files.deleteIfExists(log);
        String floorPath = opt.getOrDefault("floorPath", FLOOR_PATH);
        List<Row> reads = new ArrayList<>();
        List<Load> floors = new ArrayList<>();
        List<CpuBudget.PerOperation[]> budgets = new ArrayList<>();  // service, pgbench, floor
        try (ServiceProcess service = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log)) {
            service.awaitHealthy(Duration.ofMinutes(3));
            Seed seed = seed(service.base(), Integer.parseInt(opt.getOrDefault("users", "8")),
                    Integer.parseInt(opt.getOrDefault("threads", "64")));
            drain(Duration.ofMinutes(5));
            int replies = Integer.parseInt(opt.getOrDefault("repliesPerThread", "40"));
            execute(String.format(Locale.ROOT, """
                    INSERT INTO posts (thread_id, author_id, body, status, created_at)
                    SELECT t, %d + n %% %d, 'Benchmark reply ' || n || ' about espresso grinders and how fine to grind the beans', 'published', now()
                      FROM generate_series(%d, %d) t, generate_series(1, %d) n
                     ORDER BY t, n""", seed.userMin(), seed.userMax() - seed.userMin() + 1, seed.serviceThreads(),
                    seed.serviceThreads() + seed.threadCount() - 1, replies));
            execute(String.format(Locale.ROOT, "UPDATE threads SET post_count = post_count + %d WHERE id BETWEEN %d AND %d",
                    replies, seed.serviceThreads(), seed.serviceThreads() + seed.threadCount() - 1));
            analyze();
            Map<String, Long> readVars = Map.of("tmin", seed.serviceThreads(),
                    "tmax", seed.serviceThreads() + seed.threadCount() - 1);
            String first = String.valueOf(seed.serviceThreads());
            String count = String.valueOf(seed.threadCount());
            CpuBudget cpu = CpuBudget.of(service.pid(), jdbcUrl, dbUser, dbPassword);
            warmUntilSteady(service, "read.lua", first, count);
            tools.wrk(service.base(), "floor.lua", 4, warmSeconds(), service::rssMib, floorPath);
            for (int c : levels) {
                String profile = opt.get("profile");
                if (profile != null) {
                    startProfile(service, "reads");
                }
                CpuBudget.Snapshot c0 = cpu.snapshot();
                Load s = tools.wrk(service.base(), "read.lua", c, seconds, service::rssMib, first, count);
                CpuBudget.Snapshot c1 = cpu.snapshot();
                if (profile != null) {
                    jcmd(service, "JFR.stop", "name=reads",
                            "filename=" + Path.of(profile, "read-" + c + ".jfr").toAbsolutePath());
                }
                CpuBudget.Snapshot c2 = cpu.snapshot();
                Load b = tools.pgbench(c, seconds, List.of("thread.sql", "thread-posts.sql"), readVars);
                CpuBudget.Snapshot c3 = cpu.snapshot();
                Load f = tools.wrk(service.base(), "floor.lua", c, seconds, service::rssMib, floorPath);
                CpuBudget.Snapshot c4 = cpu.snapshot();
                reads.add(new Row(s, b, Double.NaN));
                floors.add(f);
                budgets.add(new CpuBudget.PerOperation[] {CpuBudget.perOperation(c0, c1, s.operations()),
                        CpuBudget.perOperation(c2, c3, b.operations()), CpuBudget.perOperation(c3, c4, f.operations())});
                progress("read c=%d: service %.0f/s, pgbench %.0f/s, HTTP floor %.0f/s", c, s.perSecond(),
                        b.perSecond(), f.perSecond());
            }
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, """
                | clients | service req/s | p50 ms | p99 ms | errors | pgbench tx/s | p50 ms | p99 ms | service / baseline | HTTP floor (`GET %s`) req/s | p50 ms | service / floor |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """, floorPath));
        for (int i = 0; i < reads.size(); i++) {
            Load s = reads.get(i).service();
            Load b = reads.get(i).baseline();
            Load f = floors.get(i);
            t.append(String.format(Locale.ROOT, "| %d | %.0f | %.2f | %.1f | %d | %.0f | %.2f | %.1f | %.2f | %.0f | %.2f | %.2f |%n",
                    s.clients(), s.perSecond(), s.p50Ms(), s.p99Ms(), s.errors() + f.errors(), b.perSecond(),
                    b.p50Ms(), b.p99Ms(), s.perSecond() / b.perSecond(), f.perSecond(), f.p50Ms(),
                    s.perSecond() / f.perSecond()));
        }
        t.append(System.lineSeparator()).append(budgetTable(reads, budgets));
        Files.writeString(work.resolve("reads.md"), t.toString());
        System.out.print(t);
    }

    /**
     * What routing public reads to a read replica costs on this machine ({@code replicaUrl}: the standby of
     * the benchmark database): the service with the replica configured writes its corpus (the write load,
     * with the replica's lag as the service reports it sampled meanwhile and while the workers drain), then
     * serves the anonymous read and search loads; then the same loads against a service without the
     * replica. Both servers share these 2 cores, so no speed-up is expected: the figure is the routing's
     * cost. Prints the tables and writes them to {@code work/replica.md}.
     */
    private void runReplica() throws Exception {
        String replicaUrl = required("replicaUrl");
        Path log = work.resolve("service.log");
        Files.deleteIfExists(log);
        Map<String, String> withReplica = new LinkedHashMap<>(serviceEnv);
        withReplica.put("DATASOURCES_REPLICA_URL", replicaUrl);
        withReplica.put("DATASOURCES_REPLICA_USERNAME", dbUser);
        withReplica.put("DATASOURCES_REPLICA_PASSWORD", dbPassword);
        Map<String, List<Load>> reads = new LinkedHashMap<>();
        Map<String, List<Load>> searches = new LinkedHashMap<>();
        List<double[]> lag = new CopyOnWriteArrayList<>();   // bytes, seconds, one sample a second
        Load writes;
        Seed seed;
        double replicaShare;
        try (ServiceProcess service = ServiceProcess.start(jar, javaOpts, port, withReplica, log)) {
            service.awaitHealthy(Duration.ofMinutes(3));
            seed = seed(service.base(), Integer.parseInt(opt.getOrDefault("users", "8")),
                    Integer.parseInt(opt.getOrDefault("threads", "64")));
            drain(Duration.ofMinutes(5));
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    String metrics = send(service.base(), "GET", "/prometheus", null, null, 200);
                    lag.add(new double[] {gauge(metrics, "parley_database_replica_lag_bytes"),
                            gauge(metrics, "parley_database_replica_lag_seconds")});
                } catch (Exception e) {
                    progress("lag sample failed: %s", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
            try {
                writes = tools.wrk(service.base(), "post.lua", 4, seconds * 3, service::rssMib,
                        seed.tokensFile(work).toString(), String.valueOf(seed.serviceThreads()),
                        String.valueOf(seed.threadCount()));
                drain(Duration.ofMinutes(10));
            } finally {
                sampler.shutdownNow();
            }
            analyze();
            Thread.sleep(3000);   // the replica replays the analyze, and the service's next lag check sees it
            double before = readsOn(service.base(), "replica");
            double beforePrimary = readsOn(service.base(), "primary");
            measureReads(service, seed, "replica", reads, searches, 100);
            double onReplica = readsOn(service.base(), "replica") - before;
            replicaShare = onReplica / (onReplica + readsOn(service.base(), "primary") - beforePrimary);
        }
        try (ServiceProcess service = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log)) {
            service.awaitHealthy(Duration.ofMinutes(3));
            measureReads(service, seed, "primary", reads, searches, 200);
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, """
                Public reads routed to the replica during its loads: %.1f%% (the service's `parley_database_reads_total`).

                | load | clients | primary only: req/s | p50 ms | p99 ms | with the replica: req/s | p50 ms | p99 ms | replica / primary |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|
                """, 100 * replicaShare));
        for (String load : List.of("read a thread", "search (semantic)")) {
            Map<String, List<Load>> rows = load.startsWith("read") ? reads : searches;
            for (int i = 0; i < levels.length; i++) {
                Load p = rows.get("primary").get(i);
                Load r = rows.get("replica").get(i);
                t.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.1f | %.0f | %.2f | %.1f | %.2f |%n",
                        load, p.clients(), p.perSecond(), p.p50Ms(), p.p99Ms(), r.perSecond(), r.p50Ms(), r.p99Ms(),
                        r.perSecond() / p.perSecond()));
            }
        }
        double[] bytes = lag.stream().mapToDouble(x -> x[0]).sorted().toArray();
        double[] secs = lag.stream().mapToDouble(x -> x[1]).sorted().toArray();
        t.append(String.format(Locale.ROOT, """

                Replica lag under the write load (4 clients, %.0f replies/s, then the workers' drain), as the service
                reports it (checked every second), %d samples:

                | | median | p90 | max |
                |---|---:|---:|---:|
                | bytes | %.0f | %.0f | %.0f |
                | seconds | %.3f | %.3f | %.3f |
                """, writes.perSecond(), lag.size(), quantile(bytes, 0.5), quantile(bytes, 0.9), quantile(bytes, 1),
                quantile(secs, 0.5), quantile(secs, 0.9), quantile(secs, 1)));
        Files.writeString(work.resolve("replica.md"), t.toString());
        System.out.print(t);
    }

    /** The anonymous read and search loads at every level, warmed first; unseen queries in sets from {@code set}. */
    private void measureReads(ServiceProcess service, Seed seed, String target, Map<String, List<Load>> reads,
                              Map<String, List<Load>> searches, int set) throws Exception {
        String first = String.valueOf(seed.serviceThreads());
        String count = String.valueOf(seed.threadCount());
        tools.wrk(service.base(), "read.lua", 4, warmSeconds(), service::rssMib, first, count);
        tools.wrk(service.base(), "search.lua", 2, warmSeconds(), service::rssMib, unseen(target + "-warm", set).toString());
        for (int c : levels) {
            Load r = tools.wrk(service.base(), "read.lua", c, seconds, service::rssMib, first, count);
            Load q = tools.wrk(service.base(), "search.lua", c, seconds, service::rssMib,
                    unseen(target + "-c" + c, set + c).toString());
            reads.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
            searches.computeIfAbsent(target, k -> new ArrayList<>()).add(q);
            progress("%s c=%d: read %.0f/s, search %.0f/s", target, c, r.perSecond(), q.perSecond());
        }
    }

    /** The service's count of public reads that ran on {@code target} (primary or replica). */
    private double readsOn(URI base, String target) throws Exception {
        String metrics = send(base, "GET", "/prometheus", null, null, 200);
        for (String line : metrics.split("\n")) {
            if (line.startsWith("parley_database_reads_total") && line.contains("target=\"" + target + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static double gauge(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /**
     * CPU milliseconds per operation, point by point: the service's side (service JVM, PostgreSQL, wrk),
     * pgbench's side (PostgreSQL, pgbench) and the floor's (service JVM, wrk). On a 2-core machine a
     * side cannot exceed 2000 / (its total) operations per second, so the ratio of the two totals bounds
     * the service / pgbench ratio whatever the latency.
     */
    private static String budgetTable(List<Row> rows, List<CpuBudget.PerOperation[]> budgets) {
        StringBuilder t = new StringBuilder("""
                | clients | service: JVM | PostgreSQL | wrk | total | pgbench side: PostgreSQL | pgbench | total | total ratio pgbench / service | floor: JVM | wrk |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """);
        for (int i = 0; i < rows.size(); i++) {
            CpuBudget.PerOperation s = budgets.get(i)[0];
            CpuBudget.PerOperation b = budgets.get(i)[1];
            CpuBudget.PerOperation f = budgets.get(i)[2];
            t.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %.3f | %.3f |%n",
                    rows.get(i).service().clients(), s.service(), s.postgres(), s.loadGenerator(), s.total(),
                    b.postgres(), b.loadGenerator(), b.total(), b.total() / s.total(), f.service(), f.loadGenerator()));
        }
        return t.toString();
    }

    /**
     * Starts a JFR recording of the service: the profile settings, with Java stacks sampled every
     * millisecond (JDK 17's default 10-20 ms caught only 60-140 stacks in an 8 s point) and every VM
     * operation recorded (safepoints).
     */
    private static void startProfile(ServiceProcess service, String name) throws IOException, InterruptedException {
        jcmd(service, "JFR.start", "name=" + name, "settings=profile", "jdk.ExecutionSample#period=1ms",
                "jdk.NativeMethodSample#period=5ms", "jdk.ExecuteVMOperation#threshold=0ms");
    }

    /** Runs a diagnostic command in the service's JVM (used to record a JFR profile of one load point). */
    private static void jcmd(ServiceProcess service, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(service.pid())));
        line.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed: " + out);
        }
    }

    // ---------------------------------------------------------------- the request path alone

    /**
     * Create post with the workers off, against pgbench running the same SQL and the HTTP floor, point
     * by point. The forum is seeded by the service with its workers on (the opening posts must be
     * moderated before replies can go to their threads), then the service restarts with them off.
     */
    private void runRequestPath() throws Exception {
        Path log = work.resolve("service.log");
        Files.deleteIfExists(log);
        String floorPath = opt.getOrDefault("floorPath", FLOOR_PATH);
        Path profiles = opt.containsKey("profile") ? Files.createDirectories(Path.of(opt.get("profile"))) : null;
        Seed seed;
        try (ServiceProcess service = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log)) {
            service.awaitHealthy(Duration.ofMinutes(3));
            seed = seed(service.base(), Integer.parseInt(opt.getOrDefault("users", "8")),
                    Integer.parseInt(opt.getOrDefault("threads", "64")));
            drain(Duration.ofMinutes(5));
        }
        Map<String, String> noWorkers = new LinkedHashMap<>(serviceEnv);
        noWorkers.put("PARLEY_PIPELINE_WORKERS_ENABLED", "false");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                | clients | service req/s | p50 ms | p99 ms | errors | pgbench tx/s | p50 ms | p99 ms | service / baseline | floor (`GET %s`) req/s | p50 ms | p99 ms |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """, floorPath));
        List<Row> rows = new ArrayList<>();
        List<CpuBudget.PerOperation[]> budgets = new ArrayList<>();  // service, pgbench, floor
        try (ServiceProcess service = ServiceProcess.start(jar, javaOpts, port, noWorkers, log)) {
            service.awaitHealthy(Duration.ofMinutes(3));
            String tokens = seed.tokensFile(work).toString();
            String first = String.valueOf(seed.serviceThreads());
            String count = String.valueOf(seed.threadCount());
            CpuBudget cpu = CpuBudget.of(service.pid(), jdbcUrl, dbUser, dbPassword);
            warmUntilSteady(service, "post.lua", tokens, first, count);
            tools.wrk(service.base(), "floor.lua", 4, warmSeconds(), service::rssMib, floorPath);
            Map<String, Long> vars = Map.of("umin", seed.userMin(), "umax", seed.userMax(),
                    "tmin", seed.baselineThreads(), "tmax", seed.baselineThreads() + seed.threadCount() - 1);
            for (int c : levels) {
                if (profiles != null) {
                    startProfile(service, "point");
                }
                CpuBudget.Snapshot c0 = cpu.snapshot();
                Load s = tools.wrk(service.base(), "post.lua", c, seconds, service::rssMib, tokens, first, count);
                CpuBudget.Snapshot c1 = cpu.snapshot();
                if (profiles != null) {
                    jcmd(service, "JFR.stop", "name=point",
                            "filename=" + profiles.resolve("request-path-c" + c + ".jfr").toAbsolutePath());
                }
                CpuBudget.Snapshot c2 = cpu.snapshot();
                Load b = tools.pgbench(c, seconds, List.of("post.sql"), vars);
                CpuBudget.Snapshot c3 = cpu.snapshot();
                Load f = tools.wrk(service.base(), "floor.lua", c, seconds, service::rssMib, floorPath);
                CpuBudget.Snapshot c4 = cpu.snapshot();
                rows.add(new Row(s, b, Double.NaN));
                budgets.add(new CpuBudget.PerOperation[] {CpuBudget.perOperation(c0, c1, s.operations()),
                        CpuBudget.perOperation(c2, c3, b.operations()), CpuBudget.perOperation(c3, c4, f.operations())});
                table.append(String.format(Locale.ROOT,
                        "| %d | %.0f | %.1f | %.1f | %d | %.0f | %.1f | %.1f | %.2f | %.0f | %.1f | %.1f |%n",
                        c, s.perSecond(), s.p50Ms(), s.p99Ms(), s.errors() + f.errors(), b.perSecond(), b.p50Ms(),
                        b.p99Ms(), s.perSecond() / b.perSecond(), f.perSecond(), f.p50Ms(), f.p99Ms()));
                progress("request path c=%d: service %.0f/s p50 %.1f ms, pgbench %.0f/s p50 %.1f ms, floor %.0f/s",
                        c, s.perSecond(), s.p50Ms(), b.perSecond(), b.p50Ms(), f.perSecond());
            }
        }
        table.append(System.lineSeparator()).append(budgetTable(rows, budgets));
        Files.writeString(work.resolve("request-path.md"), table.toString());
        System.out.print(table);
    }


    // ---------------------------------------------------------------- a post end to end alone

    /**
     * Create post end to end against its SQL and the model's raw time, point by point: the same steps and
     * the same formula as the full run's write points, without the rest of the suite.
     */
    private void runEndToEnd() throws Exception {
        Path log = work.resolve("service.log");
        Files.deleteIfExists(log);
        Path profiles = opt.containsKey("profile") ? Files.createDirectories(Path.of(opt.get("profile"))) : null;
        List<Row> writes = new ArrayList<>();
        List<Load> endToEndSql = new ArrayList<>();
        Seed seed;
        try (ServiceProcess service = ServiceProcess.start(jar, javaOpts, port, serviceEnv, log)) {
            service.awaitHealthy(Duration.ofMinutes(3));
            seed = seed(service.base(), Integer.parseInt(opt.getOrDefault("users", "8")),
                    Integer.parseInt(opt.getOrDefault("threads", "64")));
            drain(Duration.ofMinutes(5));
            warmUp(service, "post.lua", seed.tokensFile(work), seed);
            drain(Duration.ofMinutes(5));
            Map<String, Long> vars = Map.of("umin", seed.userMin(), "umax", seed.userMax(),
                    "tmin", seed.baselineThreads(), "tmax", seed.baselineThreads() + seed.threadCount() - 1);
            for (int c : levels) {
                if (profiles != null) {
                    jcmd(service, "JFR.start", "name=point", "settings=profile");
                }
                Load s = tools.wrk(service.base(), "post.lua", c, seconds, service::rssMib,
                        seed.tokensFile(work).toString(), String.valueOf(seed.serviceThreads()),
                        String.valueOf(seed.threadCount()));
                long t0 = System.nanoTime();
                drain(Duration.ofMinutes(10));
                double drainSeconds = (System.nanoTime() - t0) / 1e9;
                if (profiles != null) {
                    jcmd(service, "JFR.stop", "name=point",
                            "filename=" + profiles.resolve("end-to-end-c" + c + ".jfr").toAbsolutePath());
                }
                Load b = tools.pgbench(c, seconds, List.of("post.sql"), vars);
                writes.add(new Row(s, b, drainSeconds));
                Load e = tools.pgbench(c, seconds, List.of("post-end-to-end.sql"), vars);
                endToEndSql.add(e);
                progress("end to end c=%d: service %.0f/s, drain %.1f s, end-to-end SQL %.0f/s", c,
                        s.perSecond(), drainSeconds, e.perSecond());
            }
        }
        forgetEndToEndBaseline(seed);
        double modelPostsPerSecond = modelRate(seed);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                | clients | replies/s | drain s | end to end posts/s | pgbench end-to-end SQL tx/s | model posts/s | baseline posts/s | end to end / baseline |
                |---:|---:|---:|---:|---:|---:|---:|---:|
                """));
        for (int i = 0; i < writes.size(); i++) {
            Row r = writes.get(i);
            Load e = endToEndSql.get(i);
            double endToEnd = r.service().operations() / (r.service().seconds() + r.drainSeconds());
            double baseline = endToEndBaseline(e, modelPostsPerSecond);
            table.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.0f | %.0f%s | %.0f | %.0f | %.2f |%n",
                    r.service().clients(), r.service().perSecond(), r.drainSeconds(), endToEnd, e.perSecond(),
                    e.errors() == 0 ? "" : " (" + e.errors() + " errors)", modelPostsPerSecond, baseline,
                    endToEnd / baseline));
        }
        // The headline's row as the benchmark page shows it: best end to end against the best baseline.
        table.append(System.lineSeparator()).append(endToEndHeadline(writes, endToEndSql, modelPostsPerSecond));
        Files.writeString(work.resolve("end-to-end.md"), table.toString());
        System.out.print(table);
    }

    // ---------------------------------------------------------------- seeding

    private Seed seed(URI base, int users, int threadCount) throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<String> tokens = new ArrayList<>();
        List<Long> userIds = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String name = "bench" + run + "u" + i;
            String password = "bench-password-" + i;
            String created = send(base, "POST", "/api/auth/register", null, String.format(
                    "{\"username\":\"%s\",\"email\":\"%s@example.com\",\"password\":\"%s\"}", name, name, password), 201);
            userIds.add(firstId(created));
            Matcher token = TOKEN.matcher(send(base, "POST", "/api/auth/login", null,
                    String.format("{\"username\":\"%s\",\"password\":\"%s\"}", name, password), 200));
            if (!token.find()) {
                throw new IllegalStateException("no token in the login answer");
            }
            tokens.add(token.group(1));
        }
        List<Long> threadIds = new ArrayList<>();
        for (int i = 0; i < 2 * threadCount; i++) {
            String body = String.format("{\"category\":\"general\",\"title\":\"Bench thread %d\","
                    + "\"body\":\"Opening post of benchmark thread %d about everyday questions\"}", i, i);
            threadIds.add(firstId(send(base, "POST", "/api/threads", tokens.get(i % users), body, 201)));
        }
        requireContiguous(userIds, "users");
        requireContiguous(threadIds.subList(0, threadCount), "service threads");
        requireContiguous(threadIds.subList(threadCount, 2 * threadCount), "baseline threads");
        return new Seed(tokens, userIds.get(0), userIds.get(users - 1), threadIds.get(0), threadIds.get(threadCount),
                threadCount);
    }

    private static void requireContiguous(List<Long> ids, String what) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) != ids.get(0) + i) {
                throw new IllegalStateException(what + " got non-contiguous ids " + ids
                        + "; the pgbench scripts pick ids from a range, so the bench database must be fresh");
            }
        }
    }

    private static long firstId(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    private String send(URI base, String method, String path, String token, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private void warmUp(ServiceProcess service, String script, Path tokens, Seed seed) throws Exception {
        tools.wrk(service.base(), script, 4, warmSeconds(), service::rssMib, tokens.toString(),
                String.valueOf(seed.serviceThreads()), String.valueOf(seed.threadCount()));
    }

    /**
     * Loads a freshly started service until its rate stops rising: the JIT compiles the request path
     * for over a minute of load on 2 cores (measured: 147 replies/s in the first 10 s at 4 clients,
     * 869/s after 80 s, the C2 compiler taking most of a core until then), so a point taken after a
     * fixed 2 s warm-up measures the compiler, not the service. Rounds of 5 s at 4 clients until two
     * in a row do not beat the best so far by 5%, at most {@code warmMaxSeconds} (default 150).
     */
    private void warmUntilSteady(ServiceProcess service, String script, String... scriptArgs) throws Exception {
        int max = Integer.parseInt(opt.getOrDefault("warmMaxSeconds", "150"));
        double best = 0;
        int flat = 0;
        int spent = 0;
        while (spent < max && flat < 2) {
            Load round = tools.wrk(service.base(), script, 4, 5, service::rssMib, scriptArgs);
            spent += 5;
            if (round.perSecond() > best * 1.05) {
                best = round.perSecond();
                flat = 0;
            } else {
                flat++;
            }
        }
        progress("warmed up for %d s (best %.0f/s at 4 clients)", spent, best);
    }

    private int warmSeconds() {
        return Math.max(2, seconds / 3);
    }

    // ---------------------------------------------------------------- database

    /** Waits until no moderation or embedding job is queued or running. */
    private void drain(Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count("SELECT count(*) FROM jobs WHERE kind IN ('moderate', 'embed') AND state IN ('queued', 'running')")
                > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the background jobs did not drain within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Drops what the end-to-end baseline indexed (random vectors and documents of its own posts) and its
     * jobs, so that the search load sees only the service's posts.
     */
    private void forgetEndToEndBaseline(Seed seed) throws SQLException {
        String posts = "SELECT id FROM posts WHERE thread_id BETWEEN " + seed.baselineThreads() + " AND "
                + (seed.baselineThreads() + seed.threadCount() - 1);
        execute("DELETE FROM post_embeddings WHERE post_id IN (" + posts + ")");
        execute("DELETE FROM search_documents WHERE post_id IN (" + posts + ")");
        execute("DELETE FROM jobs WHERE kind LIKE 'bench-e2e-%'");
    }

    /**
     * The model's raw rate on the replies the write load posted: their texts embedded in this JVM in
     * batches of 32 (the embedding handler's batch), no database. One chunk per reply, so texts/s is posts/s.
     */
    private double modelRate(Seed seed) throws SQLException {
        List<String> texts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
             PreparedStatement s = c.prepareStatement("SELECT body FROM posts WHERE thread_id BETWEEN ? AND ? "
                     + "AND id NOT IN (SELECT min(id) FROM posts GROUP BY thread_id) ORDER BY id DESC LIMIT 512")) {
            s.setLong(1, seed.serviceThreads());
            s.setLong(2, seed.serviceThreads() + seed.threadCount() - 1);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    texts.add(r.getString(1));
                }
            }
        }
        try (ApplicationContext context = baselineContext()) {
            EmbeddingModel model = context.getBean(EmbeddingModel.class);
            model.embed(texts.subList(0, Math.min(32, texts.size())));   // warm-up: the first call loads the session
            long t0 = System.nanoTime();
            for (int from = 0; from < texts.size(); from += 32) {
                model.embed(texts.subList(from, Math.min(texts.size(), from + 32)));
            }
            return texts.size() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private void analyze() throws SQLException {
        execute("ANALYZE users, threads, posts, jobs, post_embeddings, search_documents, moderation_decisions");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
             java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
             PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    // ---------------------------------------------------------------- search

    /** An application context in this JVM for the in-process baseline: the model only, no server, no workers. */
    private ApplicationContext baselineContext() {
        return ApplicationContext.builder().properties(Map.of(
                "datasources.default.url", jdbcUrl,
                "datasources.default.username", dbUser,
                "datasources.default.password", dbPassword,
                "parley.pipeline.workers-enabled", "false",
                "parley.auth.jwt-secret", JWT_SECRET,
                "micronaut.server.port", "-1")).start();
    }

    /** Whether the baseline's copy of the SQL finds what the service finds, for the first queries. */
    private String compareSearch(URI base, SearchBaseline baseline) throws Exception {
        int same = 0;
        int n = 5;
        for (String q : QUERIES.subList(0, n)) {
            String body = send(base, "GET", "/api/search?limit=10&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8),
                    null, null, 200);
            List<Long> service = new ArrayList<>();
            Matcher m = Pattern.compile("\"thread\":\\{\"id\":(\\d+)").matcher(body);
            while (m.find()) {
                service.add(Long.parseLong(m.group(1)));
            }
            if (!service.isEmpty() && service.equals(baseline.threadIds(q))) {
                same++;
            }
        }
        if (same < n) {
            progress("WARNING: the search baseline returned other threads than the service for %d of %d queries",
                    n - same, n);
        }
        return same + " of " + n;
    }

    /**
     * Each mode at one client over queries of its own that no earlier request used, after a warm-up
     * on yet another set, then one in-process embedding at a time; see {@link OneClientSearch}.
     */
    private OneClientSearch oneClientSearch(ServiceProcess service, SearchBaseline baseline, long hitsBefore)
            throws Exception {
        tools.wrk(service.base(), "search.lua", 1, warmSeconds(), service::rssMib, unseen("warm-semantic", 0).toString());
        tools.wrk(service.base(), "search.lua", 1, warmSeconds(), service::rssMib, unseen("warm-hybrid", 1).toString(),
                "hybrid");
        Load semantic = tools.wrk(service.base(), "search.lua", 1, seconds, service::rssMib,
                unseen("semantic", 2).toString());
        Load hybrid = tools.wrk(service.base(), "search.lua", 1, seconds, service::rssMib,
                unseen("hybrid", 3).toString(), "hybrid");
        Load keyword = tools.wrk(service.base(), "search.lua", 1, seconds, service::rssMib,
                unseen("keyword", 4).toString(), "keyword");
        long hits = cacheHits(service.base()) - hitsBefore;
        Load embedding = baseline.embedOnly(unseenQueries(5), 1, seconds);
        // The 30 queries again, every one in the cache since the warm-up: what a popular query costs.
        Load repeated = tools.wrk(service.base(), "search.lua", 1, seconds, service::rssMib,
                work.resolve("queries.txt").toString());
        return new OneClientSearch(semantic, hybrid, keyword, embedding, repeated, hits);
    }

    /** How many unseen variants each set holds: more than one client sends in a point. */
    private static final int UNSEEN_PER_SET = 20_000;

    /** Set {@code set} of the unseen queries: QUERIES with numbers no other set uses appended. */
    private static List<String> unseenQueries(int set) {
        List<String> variants = new ArrayList<>(UNSEEN_PER_SET);
        for (int i = 0; i < UNSEEN_PER_SET; i++) {
            variants.add(QUERIES.get(i % QUERIES.size()) + " " + (set * UNSEEN_PER_SET + i));
        }
        return variants;
    }

    /** A wrk query file of set {@code set}. */
    private Path unseen(String name, int set) throws IOException {
        return Files.write(work.resolve("queries-unseen-" + name + ".txt"),
                unseenQueries(set).stream().map(q -> URLEncoder.encode(q, StandardCharsets.UTF_8)).toList());
    }

    /** The service's count of queries its cache answered. */
    private long cacheHits(URI base) throws Exception {
        String body = send(base, "GET", "/prometheus", null, null, 200);
        for (String line : body.split("\n")) {
            if (line.startsWith("parley_search_query_embeddings_total") && line.contains("result=\"hit\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no query-cache hit counter in /prometheus");
    }

    // ---------------------------------------------------------------- sizing

    private record Variant(String label, String javaOpts, Map<String, String> env) {
    }

    /**
     * Restarts the service with one setting changed at a time and measures each variant the same
     * way: writes and reads at 16 clients, the background drain of the writes, search at 4 clients.
     */
    private String sizing(Seed seed, Path log) throws Exception {
        List<Variant> variants = List.of(
                new Variant("defaults", javaOpts, Map.of()),
                new Variant("pool 4", javaOpts, Map.of("DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE", "4")),
                new Variant("pool 16", javaOpts, Map.of("DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE", "16")),
                new Variant("job threads 1", javaOpts, Map.of("PARLEY_PIPELINE_DEFAULT_CONCURRENCY", "1")),
                new Variant("job threads 4", javaOpts, Map.of("PARLEY_PIPELINE_DEFAULT_CONCURRENCY", "4")),
                new Variant("embedding threads 1", javaOpts, Map.of("PARLEY_EMBEDDING_THREADS", "1")),
                new Variant("heap 512m, G1", "-Xms256m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError", Map.of()),
                new Variant("heap 512m, Serial GC", "-Xms256m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError",
                        Map.of()));
        StringBuilder table = new StringBuilder("""
                | variant | pool max (/prometheus) | writes/s, 16 clients | drain posts/s | reads/s, 16 clients | searches/s, 4 clients | peak RSS MiB | start s |
                |---|---:|---:|---:|---:|---:|---:|---:|
                """);
        Path queries = work.resolve("queries.txt");
        for (Variant v : variants) {
            Map<String, String> env = new LinkedHashMap<>(serviceEnv);
            env.putAll(v.env());
            try (ServiceProcess s = ServiceProcess.start(jar, v.javaOpts(), port, env, log)) {
                double start = s.awaitHealthy(Duration.ofMinutes(3));
                String poolMax = prometheus(s.base(), "hikaricp_connections_max");
                warmUp(s, "post.lua", seed.tokensFile(work), seed);
                drain(Duration.ofMinutes(5));
                Load w = tools.wrk(s.base(), "post.lua", 16, seconds, s::rssMib, seed.tokensFile(work).toString(),
                        String.valueOf(seed.serviceThreads()), String.valueOf(seed.threadCount()));
                long t0 = System.nanoTime();
                drain(Duration.ofMinutes(10));
                double drainRate = w.operations() / ((System.nanoTime() - t0) / 1e9);
                Load r = tools.wrk(s.base(), "read.lua", 16, seconds, s::rssMib,
                        String.valueOf(seed.serviceThreads()), String.valueOf(seed.threadCount()));
                tools.wrk(s.base(), "search.lua", 2, warmSeconds(), s::rssMib, queries.toString());
                Load q = tools.wrk(s.base(), "search.lua", 4, seconds, s::rssMib, queries.toString());
                table.append(String.format(Locale.ROOT, "| %s%s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f |%n",
                        v.label(), errorsNote(w, r, q), poolMax, w.perSecond(), drainRate, r.perSecond(),
                        q.perSecond(), s.peakRssMib(), start));
                progress("sizing %s: writes %.0f/s, drain %.0f/s, reads %.0f/s, search %.0f/s", v.label(),
                        w.perSecond(), drainRate, r.perSecond(), q.perSecond());
            }
        }
        return table.toString();
    }

    private static String errorsNote(Load... loads) {
        long errors = Arrays.stream(loads).mapToLong(Load::errors).sum();
        return errors == 0 ? "" : " (" + errors + " errors)";
    }

    private String prometheus(URI base, String metric) {
        try {
            String body = send(base, "GET", "/prometheus", null, null, 200);
            for (String line : body.split("\n")) {
                if (line.startsWith(metric)) {
                    return String.valueOf((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            return "n/a";
        } catch (Exception e) {
            return "n/a";
        }
    }

    // ---------------------------------------------------------------- output

    private void writeFragments(List<Startup> startups, Map<String, Double> memory, List<Row> writes,
                                List<Load> requestOnly, List<Load> endToEndSql, double modelPostsPerSecond,
                                long backlogPosts, double backlogSeconds, List<Row> reads, List<Row> searches, Load embedOnly, OneClientSearch oneClient, String searchCheck,
                                long corpus, String sizing, double wall) throws IOException {
        String date = LocalDate.now().toString();
        String mode = opt.getOrDefault("mode", "quick");
        String measured = String.format("<!-- measured: %s %s -->%n_Measured %s, %s mode, %d s per point._%n%n",
                date, mode, date, mode, seconds);

        StringBuilder h = new StringBuilder("## Headline: the service against its baseline\n\n").append(measured);
        h.append("""
                Each figure is the service's best throughput over the concurrencies tried, divided by its
                baseline's best, both measured in this run on this machine (details and every concurrency in
                the next section). 1.00 would mean the service adds nothing to the work PostgreSQL (or the
                model) does anyway.

                | load | service, best /s | baseline, best /s | service / baseline | p50 at 1 client: service / baseline |
                |---|---:|---:|---:|---:|
                """);
        h.append(headline("create post (`POST /api/threads/{id}/posts`) vs pgbench, same SQL", writes));
        List<Row> bare = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            bare.add(new Row(requestOnly.get(i), writes.get(i).baseline(), Double.NaN));
        }
        h.append(headline("create post, request path only (job workers off)", bare));
        h.append(endToEndHeadline(writes, endToEndSql, modelPostsPerSecond));
        h.append(headline("read thread + first page of posts vs pgbench, same SELECTs", reads));
        h.append(headline("semantic search vs in-process embedding + same SQL", searches));
        Files.writeString(docs.resolve("bench/headline.md"), h.toString());

        StringBuilder f = new StringBuilder("## HTTP load against a baseline (`scripts/bench.sh`)\n\n").append(measured);
        f.append(String.format("""
                The service runs from its jar as `scripts/run.sh` starts it (`java %s -jar target/parley-0.1.0.jar`)
                on its own fresh database, rules moderation and the local embedding model, workers on; wrk
                (at most 2 threads) drives it from the same machine. Each baseline runs right after the
                service's point, with the same number of clients, against the same database: pgbench with
                prepared statements runs the SQL the service sends for one request, statement for statement
                (scripts in `src/test/resources/bench/http/`, taken from the service's statement log); search's
                baseline embeds the query with the same model in-process and runs the same SQL over JDBC.
                %s users' tokens in turn, %d threads per side; per-user rate limits switched off
                (`PARLEY_LIMITS_RATE_ENABLED=false`, more through `PARLEY_BENCH_SERVICE_ENV`).
                This part of the suite took %.0f s.

                """, javaOpts, opt.getOrDefault("users", "8"), Integer.parseInt(opt.getOrDefault("threads", "64")),
                wall));

        f.append("""
                ### Create post

                Service: wrk posting replies with bearer tokens of several users to random threads. Baseline:
                pgbench running `post.sql` — the account read (autocommitted), then thread row lock, post
                insert and job insert (whose trigger notifies the workers) in one transaction — against threads of
                its own. Every reply also queues moderation and, once published, embedding: the service's
                workers run that backlog after the wrk run ("drain"), before pgbench starts; "end to end" is
                posts ÷ (load + drain) seconds, what the machine sustains with moderation and embedding.
                "Workers off" is the same service started with `PARLEY_PIPELINE_WORKERS_ENABLED=false`, measured
                after the pgbench points: the request path alone, against the same baseline.

                | clients | service req/s | p50 ms | p99 ms | errors | peak RSS MiB | pgbench tx/s | p50 ms | p99 ms | service / baseline | drain s | end to end posts/s | workers off req/s | p50 ms | p99 ms | workers off / baseline |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """);
        for (int i = 0; i < writes.size(); i++) {
            Row r = writes.get(i);
            Load o = requestOnly.get(i);
            double endToEnd = r.service().operations() / (r.service().seconds() + r.drainSeconds());
            f.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %d | %.0f | %.0f | %.1f | %.1f | %.2f | %.1f | %.0f | %.0f%s | %.1f | %.1f | %.2f |%n",
                    r.service().clients(), r.service().perSecond(), r.service().p50Ms(), r.service().p99Ms(),
                    r.service().errors(), r.service().peakRssMib(), r.baseline().perSecond(), r.baseline().p50Ms(),
                    r.baseline().p99Ms(), r.ratio(), r.drainSeconds(), endToEnd, o.perSecond(),
                    o.errors() == 0 ? "" : " (" + o.errors() + " errors)", o.p50Ms(), o.p99Ms(),
                    o.perSecond() / r.baseline().perSecond()));
        }
        f.append(String.format(Locale.ROOT, """

                End to end, a reply with its moderation and its embedding: the service's "end to end" rate above
                against a baseline of what that work costs PostgreSQL and the model. pgbench runs
                `post-end-to-end.sql` — every statement the request and the two workers send for one reply (a
                claimed batch of one), from the service's statement log — at the same clients; the model embeds
                the replies' own texts in this JVM in batches of 32 at %.0f posts/s. Baseline posts/s =
                1 / (1 / pgbench tx/s + 1 / model posts/s): each post pays its SQL and its model time on the
                same two cores. Quick mode measures the drain behind each point (workers on), as the full mode does.

                | clients | end to end posts/s | pgbench end-to-end SQL tx/s | p50 ms | model posts/s | baseline posts/s | end to end / baseline |
                |---:|---:|---:|---:|---:|---:|---:|
                """, modelPostsPerSecond));
        for (int i = 0; i < writes.size(); i++) {
            Row r = writes.get(i);
            Load e = endToEndSql.get(i);
            double endToEnd = r.service().operations() / (r.service().seconds() + r.drainSeconds());
            double baseline = endToEndBaseline(e, modelPostsPerSecond);
            f.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f%s | %.1f | %.0f | %.0f | **%.2f** |%n",
                    r.service().clients(), endToEnd, e.perSecond(), e.errors() == 0 ? "" : " (" + e.errors() + " errors)",
                    e.p50Ms(), modelPostsPerSecond, baseline, endToEnd / baseline));
        }
        if (Double.isNaN(backlogSeconds)) {
            f.append(String.format(Locale.ROOT, "%nThe workers-off runs left %d posts waiting for moderation; quick mode deletes "
                    + "them instead of draining them (the full mode measures that drain).%n", backlogPosts));
        } else {
            f.append(String.format(Locale.ROOT, """

                The workers-off runs left %d posts waiting for moderation; the service restarted with its
                workers moderated, published and embedded them in %.1f s: **%.0f posts/s** through the whole
                pipeline with the machine to itself.
                """, backlogPosts, backlogSeconds, backlogPosts / backlogSeconds));
        }
        f.append("\n![create post: service vs pgbench](../bench-write.png)\n\n");

        f.append("""
                ### Read a thread with its first page of posts

                Service: anonymous `GET /api/threads/{id}` and `GET /api/threads/{id}/posts` (20 posts) in turn,
                over the threads the write load filled. Baseline: pgbench running `thread.sql` and
                `thread-posts.sql` in turn (one autocommitted statement each, as the service). Rates count
                single requests.

                | clients | service req/s | p50 ms | p99 ms | errors | peak RSS MiB | pgbench tx/s | p50 ms | p99 ms | service / baseline |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """);
        appendRows(f, reads);
        f.append("\n![reads: service vs pgbench](../bench-read.png)\n\n");

        f.append(String.format(Locale.ROOT, """
                ### Search

                Service: `GET /api/search?q=...&limit=10` (semantic) over %d queries that share few words
                with the posts, each with a number appended that no earlier request used, so that every
                request embeds its query as the baseline does (the query cache cannot answer), against the
                %d embedded chunks the write load left (tables `ANALYZE`d after the write load, as
                autovacuum would soon after). Baseline: the same model embedding the query in this
                benchmark's JVM plus the service's SQL over JDBC, one connection per client; its results
                matched the service's for %s queries. The model alone
                embeds %.0f queries/s on 2 threads (p50 %.1f ms).

                | clients | service req/s | p50 ms | p99 ms | errors | peak RSS MiB | in-process embed + SQL /s | p50 ms | p99 ms | service / baseline |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """, QUERIES.size(), corpus, searchCheck, embedOnly.perSecond(), embedOnly.p50Ms()));
        appendRows(f, searches);
        f.append("\n![search: service vs in-process](../bench-search.png)\n\n");
        f.append(oneClient.table());

        f.append(String.format(Locale.ROOT, """
                ### Memory

                Resident set size of the service process (`VmRSS` from `/proc/<pid>/status`, sampled every
                250 ms during the loads). Heap settings: `%s` (the defaults of `scripts/run.sh`); the rest
                of the resident size is metaspace, code cache, thread stacks, Netty's direct buffers and the
                ONNX runtime with the MiniLM model (about 90 MB of weights, outside the Java heap).

                | state | RSS MiB |
                |---|---:|
                """, javaOpts));
        memory.forEach((k, v) -> f.append(String.format(Locale.ROOT, "| %s | %.0f |%n", k, v)));
        f.append(String.format(Locale.ROOT, "| peak under the write load | %.0f |%n", peak(writes)));
        f.append(String.format(Locale.ROOT, "| peak under the read load | %.0f |%n", peak(reads)));
        f.append(String.format(Locale.ROOT, "| peak under the search load | %.0f |%n", peak(searches)));

        f.append("""

                ### Start-up

                From forking the JVM to the first 200 from `GET /health` (polled every 20 ms); RSS at that moment.

                | start | seconds | RSS MiB |
                |---|---:|---:|
                """);
        startups.forEach(s -> f.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f |%n", s.label(), s.seconds(),
                s.rssMib())));
        Files.writeString(docs.resolve("bench/http.md"), f.toString());

        if (sizing != null) {
            Files.writeString(docs.resolve("bench/sizing.md"), "## Sizing sweep for 2 cores (`scripts/bench.sh --full`)\n\n"
                    + measured + """
                    The service restarted with one setting changed at a time against the defaults, each measured
                    the same way in this run: replies at 16 clients, then the drain of their moderation and
                    embedding backlog, reads at 16 clients, searches at 4 clients. "pool max" is read back from
                    the service's own metrics, to show the setting took.

                    """ + sizing);
        }

        new Plot("Create post: requests/s against concurrency", "requests (transactions) per second")
                .series("service (HTTP, wrk)", writes.stream().map(Row::service).toList())
                .series("baseline (pgbench, same SQL)", writes.stream().map(Row::baseline).toList())
                .series("service, job workers off (request path only)", requestOnly)
                .write(docs.resolve("bench-write.png"));
        new Plot("Read thread + first page: requests/s against concurrency", "requests (transactions) per second")
                .series("service (HTTP, wrk)", reads.stream().map(Row::service).toList())
                .series("baseline (pgbench, same SQL)", reads.stream().map(Row::baseline).toList())
                .write(docs.resolve("bench-read.png"));
        new Plot("Semantic search: requests/s against concurrency", "searches per second")
                .series("service (HTTP, wrk)", searches.stream().map(Row::service).toList())
                .series("baseline (in-process embed + same SQL)", searches.stream().map(Row::baseline).toList())
                .write(docs.resolve("bench-search.png"));
    }

    private static String headline(String label, List<Row> rows) {
        Load bestService = rows.stream().map(Row::service).max(Comparator.comparingDouble(Load::perSecond)).orElseThrow();
        Load bestBaseline = rows.stream().map(Row::baseline).max(Comparator.comparingDouble(Load::perSecond))
                .orElseThrow();
        Row single = rows.stream().min(Comparator.comparingInt(r -> r.service().clients())).orElseThrow();
        return String.format(Locale.ROOT, "| %s | %.0f (%d clients) | %.0f (%d clients) | **%.2f** | %.1f ms / %.1f ms |%n",
                label, bestService.perSecond(), bestService.clients(), bestBaseline.perSecond(),
                bestBaseline.clients(), bestService.perSecond() / bestBaseline.perSecond(),
                single.service().p50Ms(), single.baseline().p50Ms());
    }

    /** What a reply end to end should cost: its SQL (pgbench tx/s) and its model time, one after the other. */
    private static double endToEndBaseline(Load sql, double modelPostsPerSecond) {
        return 1 / (1 / sql.perSecond() + 1 / modelPostsPerSecond);
    }

    private static String endToEndHeadline(List<Row> writes, List<Load> sql, double modelPostsPerSecond) {
        double best = 0;
        int bestClients = 0;
        double bestBaseline = 0;
        int baselineClients = 0;
        for (int i = 0; i < writes.size(); i++) {
            Row r = writes.get(i);
            double endToEnd = r.service().operations() / (r.service().seconds() + r.drainSeconds());
            if (endToEnd > best) {
                best = endToEnd;
                bestClients = r.service().clients();
            }
            double baseline = endToEndBaseline(sql.get(i), modelPostsPerSecond);
            if (baseline > bestBaseline) {
                bestBaseline = baseline;
                baselineClients = r.service().clients();
            }
        }
        return String.format(Locale.ROOT, "| create post end to end (reply + moderation + embedding, drained) vs its SQL "
                + "(pgbench) + raw model time | %.0f (%d clients) | %.0f (%d clients) | **%.2f** | — |%n", best,
                bestClients, bestBaseline, baselineClients, best / bestBaseline);
    }

    private static void appendRows(StringBuilder f, List<Row> rows) {
        for (Row r : rows) {
            f.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %d | %.0f | %.0f | %.1f | %.1f | %.2f |%n",
                    r.service().clients(), r.service().perSecond(), r.service().p50Ms(), r.service().p99Ms(),
                    r.service().errors(), r.service().peakRssMib(), r.baseline().perSecond(), r.baseline().p50Ms(),
                    r.baseline().p99Ms(), r.ratio()));
        }
    }

    private static double peak(List<Row> rows) {
        return rows.stream().mapToDouble(r -> r.service().peakRssMib()).filter(d -> !Double.isNaN(d)).max()
                .orElse(Double.NaN);
    }

    private static void progress(String format, Object... args) {
        System.err.printf("bench-http: " + format + "%n", args);
    }

    private String required(String key) {
        String value = opt.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return value;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package dev.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's load: a fixed arrival rate of a mixed forum workload against a running service
 * (register and log in, open threads, reply, read, vote, search, a moderator working the review
 * queue), every status recorded per operation, and memory sampled every few seconds (RSS from
 * /proc, heap from /prometheus). At the end it waits for the job pipeline to drain, checks that
 * every acknowledged post exists, judges memory, and writes a Markdown fragment. JDK only, so the
 * script runs it from target/test-classes. Exit status 0 when the soak passed.
 *
 * <p>Arguments: baseUrl minutes requestsPerSecond servicePid adminUser adminPassword outputMarkdown
 */
public final class SoakLoad {

    /** The judgement on memory: the post-GC heap floor may grow at most this much per minute over the second half. */
    static final double MAX_HEAP_SLOPE_MIB_PER_MINUTE = 2.0;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final Duration FLOOR_WINDOW = Duration.ofSeconds(30);
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Random random = new Random(20_26);
    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final List<Long> acknowledgedPosts = new CopyOnWriteArrayList<>();
    /** Threads whose first post was seen published: anyone may read and reply to them. */
    private final List<Long> threads = new CopyOnWriteArrayList<>();
    /** Threads created but not yet seen published (moderation takes a moment): 404 to the public until then. */
    private final Set<Long> newThreads = ConcurrentHashMap.newKeySet();
    private final List<String[]> users = new CopyOnWriteArrayList<>();   // {username, token}
    private final AtomicInteger sequence = new AtomicInteger();
    private String adminToken;
    private String moderatorToken;
    private String category;

    private SoakLoad(String base) {
        this.base = base;
    }

    /** One memory sample. */
    record Sample(double minute, long rssBytes, long heapUsedBytes, long liveDataBytes) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        double minutes = Double.parseDouble(args[1]);
        double rate = Double.parseDouble(args[2]);
        long pid = Long.parseLong(args[3]);
        SoakLoad soak = new SoakLoad(base);
        boolean passed = soak.run(minutes, rate, pid, args[4], args[5], Path.of(args[6]));
        System.exit(passed ? 0 : 1);
    }

    private boolean run(double minutes, double rate, long pid, String adminUser, String adminPassword, Path out)
            throws Exception {
        adminToken = token(call("setup", "POST", "/api/auth/login", null,
                "{\"username\":\"" + adminUser + "\",\"password\":\"" + adminPassword + "\"}", Set.of(200)));
        category = "soak" + System.currentTimeMillis() % 100_000;
        call("setup", "POST", "/api/categories", adminToken, "{\"slug\":\"" + category + "\",\"name\":\"Soak\","
                + "\"description\":\"Soak test\"}", Set.of(201));
        for (int i = 0; i < 8; i++) {
            registerAndLogin();
        }
        String[] moderator = users.get(0);
        call("setup", "PUT", "/api/admin/users/" + moderator[0] + "/role", adminToken, "{\"role\":\"moderator\"}",
                Set.of(200));
        moderatorToken = moderator[1];
        for (int i = 0; i < 5; i++) {
            newThread();
        }
        while (threads.size() < 5) {
            Thread.sleep(200);
            newThreads.forEach(this::checkPublished);
        }

        List<Sample> samples = new CopyOnWriteArrayList<>();
        Instant start = Instant.now();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        ExecutorService workers = Executors.newFixedThreadPool(32);
        AtomicInteger issued = new AtomicInteger();
        long periodMicros = (long) (1_000_000 / rate);
        clock.scheduleAtFixedRate(() -> {
            issued.incrementAndGet();
            workers.execute(this::oneOperation);
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        clock.scheduleAtFixedRate(() -> samples.add(sample(pid, start)), 0, SAMPLE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        long endAt = System.nanoTime() + (long) (minutes * 60e9);
        while (System.nanoTime() < endAt) {
            Thread.sleep(1_000);
        }
        clock.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(2, TimeUnit.MINUTES);
        double elapsedMinutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;

        boolean drained = awaitDrain();
        List<Long> lost = lostPosts();
        Memory memory = judge(samples, elapsedMinutes);
        long total = statuses.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
        long serverErrors = statuses.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey() >= 500 || e.getKey() < 0).mapToLong(e -> e.getValue().sum()).sum();
        boolean passed = unexpected.isEmpty() && lost.isEmpty() && drained && memory.flat();
        String markdown = report(minutes, rate, elapsedMinutes, issued.get(), total, serverErrors, drained, lost,
                memory, samples, passed);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        writeSamples(Path.of("target", "soak-samples.csv"), samples);
        System.out.println(markdown);
        return passed;
    }

    // ---- the workload --------------------------------------------------------------------------

    private void oneOperation() {
        try {
            int dice = random.nextInt(100);
            if (dice < 3) {
                registerAndLogin();
            } else if (dice < 10) {
                newThread();
            } else if (dice < 32) {
                reply();
            } else if (dice < 60) {
                read();
            } else if (dice < 72) {
                vote();
            } else if (dice < 86) {
                search();
            } else if (dice < 91) {
                call("categories", "GET", "/api/categories", null, null, Set.of(200));
            } else {
                resolveOne();
            }
        } catch (RuntimeException e) {
            unexpected.add("operation failed: " + e);
        }
    }

    private void registerAndLogin() {
        String name = "soak" + sequence.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String password = "password-" + name;
        call("register", "POST", "/api/auth/register", null, "{\"username\":\"" + name + "\",\"email\":\"" + name
                + "@example.com\",\"password\":\"" + password + "\"}", Set.of(201));
        String token = token(call("login", "POST", "/api/auth/login", null,
                "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}", Set.of(200)));
        if (token != null) {
            users.add(new String[]{name, token});
        }
    }

    private void newThread() {
        String[] user = anyUser();
        String body = call("create-thread", "POST", "/api/threads", user[1], "{\"category\":\"" + category
                + "\",\"title\":\"Soak thread " + sequence.incrementAndGet() + "\",\"body\":\"" + text() + "\"}",
                Set.of(201));
        if (body != null) {
            List<Long> ids = ids(body);
            newThreads.add(ids.get(0));
            acknowledgedPosts.add(ids.get(1));   // firstPost.id follows the thread's id
        }
    }

    private void reply() {
        // One reply in twenty carries a watched word, so the review queue has work.
        String text = random.nextInt(20) == 0 ? "kys " + text() : text();
        String body = call("reply", "POST", "/api/threads/" + anyThread() + "/posts", anyUser()[1],
                "{\"body\":\"" + text + "\"}", Set.of(201));
        if (body != null) {
            acknowledgedPosts.add(ids(body).get(0));
        }
    }

    private void checkPublished(long thread) {
        String body = call("read-new-thread", "GET", "/api/threads/" + thread, null, null, Set.of(200, 404));
        // A problem (404) carries "status":404; a thread never has a numeric status.
        if (body != null && !body.contains("\"status\":404")) {
            newThreads.remove(thread);
            threads.add(thread);
        }
    }

    private void read() {
        if (!newThreads.isEmpty() && random.nextInt(3) == 0) {
            checkPublished(newThreads.iterator().next());
            return;
        }
        long thread = anyThread();
        call("read-thread", "GET", "/api/threads/" + thread, null, null, Set.of(200));
        call("read-posts", "GET", "/api/threads/" + thread + "/posts?limit=20", null, null, Set.of(200));
    }

    private void vote() {
        String[] voter = anyUser();
        String page = call("read-posts", "GET", "/api/threads/" + anyThread() + "/posts?limit=20", null, null,
                Set.of(200));
        if (page == null) {
            return;
        }
        Matcher post = Pattern.compile("\"id\":(\\d+),\"threadId\":\\d+,\"author\":\\{\"id\":\\d+,\"username\":\"([^\"]+)\"")
                .matcher(page);
        List<Long> others = new ArrayList<>();
        while (post.find()) {
            if (!post.group(2).equals(voter[0])) {
                others.add(Long.parseLong(post.group(1)));
            }
        }
        if (!others.isEmpty()) {
            call("vote", "PUT", "/api/posts/" + others.get(random.nextInt(others.size())) + "/vote", voter[1],
                    "{\"value\":" + (random.nextBoolean() ? 1 : -1) + "}", Set.of(200));
        }
    }

    private void search() {
        String mode = List.of("semantic", "keyword", "hybrid").get(random.nextInt(3));
        call("search-" + mode, "GET", "/api/search?mode=" + mode + "&q=" + WORDS[random.nextInt(WORDS.length)]
                + "+" + WORDS[random.nextInt(WORDS.length)], null, null, Set.of(200));
    }

    private void resolveOne() {
        String queue = call("queue", "GET", "/api/moderation/queue?state=open&limit=5", moderatorToken, null,
                Set.of(200));
        List<Long> ids = queue == null ? List.of() : ids(queue);
        if (!ids.isEmpty()) {
            // The first id of an item is the item's own; another resolve may have raced this one (409).
            call("resolve", "POST", "/api/moderation/queue/" + ids.get(0) + "/resolve", moderatorToken,
                    "{\"action\":\"" + (random.nextBoolean() ? "approve" : "reject") + "\",\"note\":\"soak\"}",
                    Set.of(200, 409));
        }
    }

    private static final String[] WORDS = {"garden", "bicycle", "compiler", "coffee", "mountain", "database",
            "violin", "weather", "recipe", "keyboard", "river", "galaxy", "bread", "chess", "lantern", "harbor"};

    private String text() {
        StringBuilder text = new StringBuilder();
        int words = 8 + random.nextInt(40);
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private String[] anyUser() {
        return users.get(1 + random.nextInt(users.size() - 1));
    }

    private long anyThread() {
        return threads.get(random.nextInt(threads.size()));
    }

    // ---- HTTP and bookkeeping ------------------------------------------------------------------

    /** Sends, records the status under {@code op}, and returns the body when the status was expected. */
    private String call(String op, String method, String path, String token, String json, Set<Integer> expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        long started = System.nanoTime();
        int status;
        String body = null;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            body = response.body();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        latencies.computeIfAbsent(op, k -> Collections.synchronizedList(new ArrayList<>()))
                .add((System.nanoTime() - started) / 1_000);
        statuses.computeIfAbsent(op, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new LongAdder())
                .increment();
        if (!expected.contains(status)) {
            if (unexpected.size() < 1_000) {
                unexpected.add(op + " " + method + " " + path + " -> " + status + " "
                        + (body == null ? "" : body.substring(0, Math.min(200, body.length()))));
            }
            return null;
        }
        return body;
    }

    private static String token(String body) {
        if (body == null) {
            return null;
        }
        Matcher m = TOKEN.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    private static List<Long> ids(String body) {
        List<Long> ids = new ArrayList<>();
        Matcher m = ID.matcher(body);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    // ---- the end checks ------------------------------------------------------------------------

    private boolean awaitDrain() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            String pipeline = call("final-check", "GET", "/api/admin/pipeline", adminToken, null, Set.of(200));
            if (pipeline != null && !Pattern.compile("\"(queued|running|retrying|dead)\":[1-9]").matcher(pipeline).find()) {
                return true;
            }
            Thread.sleep(1_000);
        }
        unexpected.add("the pipeline did not drain: "
                + call("final-check", "GET", "/api/admin/pipeline", adminToken, null, Set.of(200)));
        return false;
    }

    private List<Long> lostPosts() {
        List<Long> lost = new ArrayList<>();
        for (long id : acknowledgedPosts) {
            // The admin sees a post in every status; a 404 means it is gone.
            if (call("final-check", "GET", "/api/posts/" + id, adminToken, null, Set.of(200)) == null) {
                lost.add(id);
            }
        }
        return lost;
    }

    private Sample sample(long pid, Instant start) {
        long rss = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            rss = -1;
        }
        long heap = 0;
        long live = 0;
        try {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    live = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            heap = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Sample(Duration.between(start, Instant.now()).toMillis() / 60_000.0, rss, heap, live);
    }

    /** The heap floor of each 30 s window (the least heap seen in it: what survived the collections). */
    record Memory(List<double[]> floors, double heapSlope, double rssSlope, boolean flat) {
    }

    private static Memory judge(List<Sample> samples, double minutes) {
        Map<Integer, double[]> windows = new TreeMap<>();
        double windowMinutes = FLOOR_WINDOW.toMillis() / 60_000.0;
        for (Sample s : samples) {
            if (s.heapUsedBytes() <= 0) {
                continue;
            }
            int window = (int) (s.minute() / windowMinutes);
            double[] w = windows.computeIfAbsent(window, k -> new double[]{(k + 0.5) * windowMinutes, Double.MAX_VALUE,
                    Double.MAX_VALUE});
            w[1] = Math.min(w[1], s.heapUsedBytes() / 1048576.0);
            w[2] = Math.min(w[2], s.rssBytes() / 1048576.0);
        }
        List<double[]> floors = new ArrayList<>(windows.values());
        List<double[]> secondHalf = floors.stream().filter(w -> w[0] >= minutes / 2).toList();
        double heapSlope = slope(secondHalf, 1);
        double rssSlope = slope(secondHalf, 2);
        return new Memory(floors, heapSlope, rssSlope, secondHalf.size() >= 3 && heapSlope < MAX_HEAP_SLOPE_MIB_PER_MINUTE);
    }

    /** Least-squares slope of column {@code y} against column 0. */
    static double slope(List<double[]> points, int y) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = points.stream().mapToDouble(p -> p[y]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[y] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return num / den;
    }

    private String report(double minutes, double rate, double elapsed, int issued, long total, long serverErrors,
                          boolean drained, List<Long> lost, Memory memory, List<Sample> samples, boolean passed) {
        StringBuilder md = new StringBuilder();
        md.append("## Soak\n\n");
        md.append(String.format(Locale.ROOT, "`scripts/soak.sh %s` on %s, %d cores, %s, %s UTC: the service jar on its own"
                        + " database, rules moderation, local embeddings, %.0f operations/s for %.1f minutes.%n%n",
                fmt(minutes), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), "JDK " + System.getProperty("java.version"),
                Instant.now().toString().substring(0, 16).replace('T', ' '), rate, elapsed));
        md.append(String.format(Locale.ROOT, "**Result: %s** — %d operations issued, %d HTTP requests, %d server errors"
                        + " or failed connections, %d unexpected statuses, %d acknowledged posts of which %d lost,"
                        + " pipeline %s; heap floor slope over the second half %.2f MiB/min (limit %.1f), RSS slope"
                        + " %.2f MiB/min.%n%n", passed ? "PASS" : "FAIL", issued, total, serverErrors, unexpected.size(),
                acknowledgedPosts.size(), lost.size(), drained ? "drained" : "NOT drained", memory.heapSlope(),
                MAX_HEAP_SLOPE_MIB_PER_MINUTE, memory.rssSlope()));
        md.append("Flat memory means: the heap floor (the least heap used seen in each 30-second window, sampled every"
                + " 5 s from `/prometheus`, i.e. what survives garbage collection) grows by less than "
                + fmt(MAX_HEAP_SLOPE_MIB_PER_MINUTE) + " MiB per minute, by a least-squares fit over the second half"
                + " of the run (the first half includes warm-up: model loading, JIT, pools).\n\n");
        md.append("| operation | requests | statuses | p50 ms | p99 ms |\n|---|---:|---|---:|---:|\n");
        new TreeMap<>(statuses).forEach((op, counts) -> {
            long n = counts.values().stream().mapToLong(LongAdder::sum).sum();
            StringBuilder s = new StringBuilder();
            new TreeMap<>(counts).forEach((status, c) -> s.append(s.length() == 0 ? "" : ", ").append(status)
                    .append(": ").append(c.sum()));
            List<Long> l = new ArrayList<>(latencies.getOrDefault(op, List.of()));
            Collections.sort(l);
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f |%n", op, n, s,
                    percentile(l, 0.5) / 1000.0, percentile(l, 0.99) / 1000.0));
        });
        md.append("\n| minute | heap floor MiB | RSS floor MiB |\n|---:|---:|---:|\n");
        for (int i = 0; i < memory.floors().size(); i++) {
            double[] w = memory.floors().get(i);
            if (i % 2 == 1 || memory.floors().size() <= 12) {
                md.append(String.format(Locale.ROOT, "| %.1f | %.0f | %.0f |%n", w[0], w[1], w[2]));
            }
        }
        if (!unexpected.isEmpty()) {
            md.append("\nFirst unexpected answers:\n\n");
            unexpected.stream().limit(10).forEach(u -> md.append("- `").append(u.replace("`", "'")).append("`\n"));
        }
        if (!lost.isEmpty()) {
            md.append("\nLost posts: ").append(lost.stream().limit(20).toList()).append('\n');
        }
        md.append('\n').append(samples.size()).append(" memory samples are in `target/soak-samples.csv`.\n");
        return md.toString();
    }

    private static void writeSamples(Path path, List<Sample> samples) throws IOException {
        List<String> lines = new ArrayList<>(List.of("minute,rss_bytes,heap_used_bytes,gc_live_data_bytes"));
        samples.forEach(s -> lines.add(String.format(Locale.ROOT, "%.3f,%d,%d,%d", s.minute(), s.rssBytes(),
                s.heapUsedBytes(), s.liveDataBytes())));
        Files.write(path, lines);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}

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
 * /proc, heap and the number of metric series from /prometheus). Every 30 s it also forces a full
 * collection in the service and reads the heap left after it (the live heap, {@link LiveHeap}):
 * that series, not the heap seen between collections, is what the memory verdict fits. Class
 * histograms after the warm-up and at the end of the load say what grew. At the end it waits for
 * the job pipeline to drain, checks that every acknowledged post exists, judges memory, and writes
 * a Markdown fragment. JDK only, so the script runs it from target/test-classes. Exit status 0 when
 * the soak passed.
 *
 * <p>Arguments: baseUrl minutes requestsPerSecond servicePid adminUser adminPassword outputMarkdown
 */
public final class SoakLoad {

    /**
     * The judgement on memory: the live heap (after a forced full collection) may grow at most this much per minute
     * over the second half, by the median of the slopes between every two minutes (Theil-Sen). One minute whose
     * every reading caught a password hash in flight moves a least-squares fit of five points by up to 4 MiB/min;
     * it moves the median little. Simulated on readings like the soak's (a third of them 19 MiB high at random):
     * false failures under 1 %, a 2.5 MiB/min leak caught in over 90 % of runs.
     */
    static final double MAX_HEAP_SLOPE_MIB_PER_MINUTE = 2.0;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final Duration FLOOR_WINDOW = Duration.ofSeconds(30);
    /** How often the live heap is read; each reading is a full collection in the service (about 0.1-0.3 s pause). */
    private static final Duration LIVE_EVERY = Duration.ofSeconds(15);
    /**
     * The verdict fits the least live reading of each such window. A reading taken while a request holds working
     * memory is high by that much for that moment only: a password hash (Argon2id, 19 MiB) is in flight during
     * about a third of the readings under the soak's load, which moved single readings by 19-38 MiB. A retained
     * object is in every reading of the window, so the least one still shows it.
     */
    private static final Duration LIVE_WINDOW = Duration.ofMinutes(1);
    /** The first histogram waits for warm-up (model loaded, JIT, pools, first connections). */
    private static final Duration HISTOGRAM_AFTER = Duration.ofMinutes(1);
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
    record Sample(double minute, long rssBytes, long heapUsedBytes, long liveDataBytes, int metricSeries) {
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
        List<LiveHeap.Reading> live = new CopyOnWriteArrayList<>();
        LiveHeap heap = new LiveHeap(pid);
        String[] histograms = new String[2];
        Instant start = Instant.now();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(3);
        ExecutorService workers = Executors.newFixedThreadPool(32);
        AtomicInteger issued = new AtomicInteger();
        long periodMicros = (long) (1_000_000 / rate);
        clock.scheduleAtFixedRate(() -> {
            issued.incrementAndGet();
            workers.execute(this::oneOperation);
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        clock.scheduleAtFixedRate(() -> samples.add(sample(pid, start)), 0, SAMPLE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        clock.scheduleWithFixedDelay(() -> {
            if (histograms[0] == null && Duration.between(start, Instant.now()).compareTo(HISTOGRAM_AFTER) >= 0) {
                histograms[0] = heap.histogram();
            }
            live.add(heap.read(minutesSince(start)));
        }, LIVE_EVERY.toMillis(), LIVE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        long endAt = System.nanoTime() + (long) (minutes * 60e9);
        while (System.nanoTime() < endAt) {
            Thread.sleep(1_000);
        }
        clock.shutdownNow();
        clock.awaitTermination(1, TimeUnit.MINUTES);
        // Still under load, like the first one, so the two compare like with like.
        histograms[1] = heap.histogram();
        live.add(heap.read(minutesSince(start)));
        workers.shutdown();
        workers.awaitTermination(2, TimeUnit.MINUTES);
        double elapsedMinutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;

        boolean drained = awaitDrain();
        List<Long> lost = lostPosts();
        Memory memory = judge(samples, live, elapsedMinutes);
        Histogram.Diff grown = Histogram.diff(histograms[0], histograms[1]);
        long total = statuses.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
        long serverErrors = statuses.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey() >= 500 || e.getKey() < 0).mapToLong(e -> e.getValue().sum()).sum();
        boolean passed = unexpected.isEmpty() && lost.isEmpty() && drained && memory.flat();
        String markdown = report(minutes, rate, elapsedMinutes, issued.get(), total, serverErrors, drained, lost,
                memory, samples, grown, passed);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        writeSamples(Path.of("target", "soak-samples.csv"), samples);
        writeLive(Path.of("target", "soak-live-heap.csv"), live);
        for (int i = 0; i < 2; i++) {
            Files.writeString(Path.of("target", "soak-histogram-" + (i == 0 ? "start" : "end") + ".txt"),
                    histograms[i] == null ? "" : histograms[i]);
        }
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
        int series = 0;
        try {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : metrics.body().split("\n")) {
                // A series per line: per-URI or per-user tags would show as a count that keeps rising.
                series += line.isEmpty() || line.startsWith("#") ? 0 : 1;
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
        return new Sample(minutesSince(start), rss, heap, live, series);
    }

    private static double minutesSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis() / 60_000.0;
    }

    /**
     * Memory over the run. The verdict fits {@code live}: the heap left right after a full collection forced in
     * the service. The floors (the least heap seen in each 30 s window) are kept beside it because earlier
     * reports judged them; they are not a measure of what is retained: with G1 they include whatever eden held
     * at the sample and whatever garbage the old generation kept until its next concurrent cycle, so they swing
     * by tens of MiB and drift upward as G1 sizes eden up, with nothing retained.
     */
    record Memory(List<double[]> floors, List<double[]> live, List<double[]> liveFloors, double liveSlope, double floorSlope, double rssSlope,
                  int seriesAfterWarmUp, int seriesAtEnd, boolean measured, boolean flat) {
    }

    static Memory judge(List<Sample> samples, List<LiveHeap.Reading> readings, double minutes) {
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
        List<double[]> floorsSecondHalf = floors.stream().filter(w -> w[0] >= minutes / 2).toList();
        List<double[]> live = readings.stream().filter(r -> r.bytes() > 0)
                .map(r -> new double[]{r.minute(), r.bytes() / 1048576.0}).toList();
        double liveWindowMinutes = LIVE_WINDOW.toMillis() / 60_000.0;
        Map<Integer, double[]> liveWindows = new TreeMap<>();
        for (double[] r : live) {
            double[] w = liveWindows.computeIfAbsent((int) (r[0] / liveWindowMinutes),
                    k -> new double[]{(k + 0.5) * liveWindowMinutes, Double.MAX_VALUE, 0});
            w[1] = Math.min(w[1], r[1]);
            w[2]++;
        }
        // A minute with a single reading (the last one, taken as the load stops) has no other to correct it.
        List<double[]> liveFloors = liveWindows.values().stream().filter(w -> w[2] >= 2).toList();
        List<double[]> liveSecondHalf = liveFloors.stream().filter(r -> r[0] >= minutes / 2).toList();
        double liveSlope = medianSlope(liveSecondHalf, 1);
        double warmMinutes = HISTOGRAM_AFTER.toMillis() / 60_000.0;
        int seriesAfterWarmUp = samples.stream().filter(s -> s.minute() >= warmMinutes && s.metricSeries() > 0)
                .mapToInt(Sample::metricSeries).findFirst().orElse(0);
        int seriesAtEnd = samples.stream().filter(s -> s.metricSeries() > 0).mapToInt(Sample::metricSeries)
                .reduce((a, b) -> b).orElse(0);
        // Without readings (jcmd could not attach) there is no verdict to trust: fail rather than fall back to floors.
        boolean measured = liveSecondHalf.size() >= 4;
        return new Memory(floors, live, liveFloors, liveSlope, slope(floorsSecondHalf, 1), slope(floorsSecondHalf, 2),
                seriesAfterWarmUp, seriesAtEnd, measured, measured && liveSlope < MAX_HEAP_SLOPE_MIB_PER_MINUTE);
    }

    /** Theil-Sen: the median of the slopes between every two points, of column {@code y} against column 0. */
    static double medianSlope(List<double[]> points, int y) {
        List<Double> slopes = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            for (int j = i + 1; j < points.size(); j++) {
                double dx = points.get(j)[0] - points.get(i)[0];
                if (dx != 0) {
                    slopes.add((points.get(j)[y] - points.get(i)[y]) / dx);
                }
            }
        }
        if (slopes.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(slopes);
        int n = slopes.size();
        return n % 2 == 1 ? slopes.get(n / 2) : (slopes.get(n / 2 - 1) + slopes.get(n / 2)) / 2;
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
                          boolean drained, List<Long> lost, Memory memory, List<Sample> samples,
                          Histogram.Diff grown, boolean passed) {
        StringBuilder md = new StringBuilder();
        md.append("## Soak\n\n");
        md.append(String.format(Locale.ROOT, "`scripts/soak.sh %s` on %s, %d cores, %s, %s UTC: the service jar on its own"
                        + " database, rules moderation, local embeddings, %.0f operations/s for %.1f minutes.%n%n",
                fmt(minutes), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), "JDK " + System.getProperty("java.version"),
                Instant.now().toString().substring(0, 16).replace('T', ' '), rate, elapsed));
        md.append(String.format(Locale.ROOT, "**Result: %s** — %d operations issued, %d HTTP requests, %d server errors"
                        + " or failed connections, %d unexpected statuses, %d acknowledged posts of which %d lost,"
                        + " pipeline %s; live heap slope over the second half %s MiB/min (limit %.1f; %d readings,"
                        + " live heap %.1f to %.1f MiB);"
                        + " for comparison, heap floor slope %.2f MiB/min and RSS floor slope %.2f MiB/min; metric"
                        + " series %d after warm-up, %d at the end.%n%n", passed ? "PASS" : "FAIL", issued, total,
                serverErrors, unexpected.size(), acknowledgedPosts.size(), lost.size(),
                drained ? "drained" : "NOT drained",
                memory.measured() ? String.format(Locale.ROOT, "%.2f", memory.liveSlope()) : "NOT MEASURED",
                MAX_HEAP_SLOPE_MIB_PER_MINUTE, memory.live().size(),
                memory.liveFloors().stream().mapToDouble(w -> w[1]).min().orElse(Double.NaN),
                memory.liveFloors().stream().mapToDouble(w -> w[1]).max().orElse(Double.NaN), memory.floorSlope(), memory.rssSlope(),
                memory.seriesAfterWarmUp(), memory.seriesAtEnd()));
        md.append("Flat memory means: the live heap grows by less than " + fmt(MAX_HEAP_SLOPE_MIB_PER_MINUTE)
                + " MiB per minute over the second half of the run (the first half includes warm-up: model loading,"
                + " JIT, pools), by the median of the slopes between every two minutes (Theil-Sen, which one odd"
                + " minute cannot swing). The live heap is read every " + LIVE_EVERY.toSeconds()
                + " s by `jcmd <pid> -f` running `GC.run` (a full collection) and then `GC.heap_info` in one attach;"
                + " the fit takes the least reading of each minute, because a reading that catches a request's"
                + " working memory (a password hash holds 19 MiB while it runs) is high for that moment only, while"
                + " anything retained is in every reading. The heap floor (the least heap used seen in each"
                + " 30-second window of 5 s `/prometheus` samples), which earlier soaks judged, is shown beside it"
                + " only for comparison: it includes eden and old-generation garbage not yet collected and moves"
                + " with the collector's sizing, not with what the service retains. Class histograms"
                + " (`GC.class_histogram`, live objects only) are taken after " + HISTOGRAM_AFTER.toMinutes()
                + " minute of load and at its end; the classes that grew most are listed below.\n\n");
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
        md.append("\n| minute | live heap MiB (least of the minute) | live readings MiB | heap floor MiB"
                + " (least of 5 s samples) | RSS floor MiB |\n|---:|---:|---|---:|---:|\n");
        double liveWindowMinutes = LIVE_WINDOW.toMillis() / 60_000.0;
        for (double[] w : memory.liveFloors()) {
            int minute = (int) (w[0] / liveWindowMinutes);
            String readings = memory.live().stream().filter(r -> (int) (r[0] / liveWindowMinutes) == minute)
                    .map(r -> String.format(Locale.ROOT, "%.0f", r[1])).reduce((a, b) -> a + ", " + b).orElse("");
            // The old measure over the same minute, for comparison: the least of its 5 s heap samples.
            double[] floor = memory.floors().stream().filter(f -> (int) (f[0] / liveWindowMinutes) == minute)
                    .reduce((a, b) -> new double[]{a[0], Math.min(a[1], b[1]), Math.min(a[2], b[2])})
                    .orElse(new double[]{0, Double.NaN, Double.NaN});
            md.append(String.format(Locale.ROOT, "| %.1f | %.1f | %s | %.0f | %.0f |%n", w[0], w[1], readings, floor[1],
                    floor[2]));
        }
        if (grown != null) {
            md.append(String.format(Locale.ROOT, "%nClass histograms, live objects: %.1f MiB after warm-up, %.1f MiB at"
                    + " the end. Largest growth:%n%n| class | instances | MiB |%n|---|---:|---:|%n",
                    grown.startBytes() / 1048576.0, grown.endBytes() / 1048576.0));
            grown.top().stream().limit(10).forEach(g -> md.append(String.format(Locale.ROOT, "| `%s` | %+d | %+.2f |%n",
                    g.className(), g.instances(), g.bytes() / 1048576.0)));
        } else {
            md.append("\nNo class histograms (jcmd could not attach).\n");
        }
        if (!unexpected.isEmpty()) {
            md.append("\nFirst unexpected answers:\n\n");
            unexpected.stream().limit(10).forEach(u -> md.append("- `").append(u.replace("`", "'")).append("`\n"));
        }
        if (!lost.isEmpty()) {
            md.append("\nLost posts: ").append(lost.stream().limit(20).toList()).append('\n');
        }
        md.append('\n').append(samples.size()).append(" memory samples are in `target/soak-samples.csv`, the live"
                + " heap readings in `target/soak-live-heap.csv`, the histograms in `target/soak-histogram-*.txt`.\n");
        return md.toString();
    }

    private static void writeSamples(Path path, List<Sample> samples) throws IOException {
        List<String> lines = new ArrayList<>(List.of("minute,rss_bytes,heap_used_bytes,gc_live_data_bytes,metric_series"));
        samples.forEach(s -> lines.add(String.format(Locale.ROOT, "%.3f,%d,%d,%d,%d", s.minute(), s.rssBytes(),
                s.heapUsedBytes(), s.liveDataBytes(), s.metricSeries())));
        Files.write(path, lines);
    }

    private static void writeLive(Path path, List<LiveHeap.Reading> readings) throws IOException {
        List<String> lines = new ArrayList<>(List.of("minute,live_heap_bytes"));
        readings.forEach(r -> lines.add(String.format(Locale.ROOT, "%.3f,%d", r.minute(), r.bytes())));
        Files.write(path, lines);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /**
     * The service's heap as jcmd reads it right after a full collection it forces: the live set, whatever the
     * young-collection schedule or the old generation's cycle. Each reading pauses the service for one full
     * collection (about 0.1-0.3 s at this heap size), which shows in the latency tail and nowhere else.
     */
    static final class LiveHeap {
        /** G1's line in GC.heap_info: {@code garbage-first heap   total 262144K, used 86000K [...]}. */
        private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

        record Reading(double minute, long bytes) {
        }

        private final long pid;
        private final String jcmd;
        private final Path commands;

        LiveHeap(long pid) throws IOException {
            this.pid = pid;
            // The jcmd of the JDK running this program: soak.sh starts the service with the same java.
            this.jcmd = ProcessHandle.current().info().command().map(c -> Path.of(c).resolveSibling("jcmd"))
                    .filter(Files::isExecutable).map(Path::toString).orElse("jcmd");
            // One attach runs both commands back to back, so next to nothing is allocated between the
            // collection and the reading (two attaches would be seconds apart on a busy machine).
            this.commands = Files.createTempFile("soak-live-heap", ".jcmd");
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
            commands.toFile().deleteOnExit();
        }

        Reading read(double minute) {
            return new Reading(minute, usedBytes(run("-f", commands.toString())));
        }

        /** Live objects only: the histogram collects before it counts. */
        String histogram() {
            return run("GC.class_histogram");
        }

        static long usedBytes(String heapInfo) {
            Matcher m = USED.matcher(heapInfo);
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        }

        private String run(String... args) {
            List<String> command = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
            command.addAll(List.of(args));
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes());
                return process.waitFor(1, TimeUnit.MINUTES) && process.exitValue() == 0 ? out : "";
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }

    /** A class histogram as jcmd prints it, and what grew between two of them. */
    static final class Histogram {
        private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

        record Growth(String className, long instances, long bytes) {
        }

        record Diff(long startBytes, long endBytes, List<Growth> top) {
        }

        /** Class name (without the module) to {instances, bytes}. */
        static Map<String, long[]> parse(String text) {
            Map<String, long[]> rows = new TreeMap<>();
            Matcher m = ROW.matcher(text);
            while (m.find()) {
                long[] row = rows.computeIfAbsent(m.group(3), k -> new long[2]);
                row[0] += Long.parseLong(m.group(1));
                row[1] += Long.parseLong(m.group(2));
            }
            return rows;
        }

        /** The classes by growth in bytes, largest first; null when either histogram is missing. */
        static Diff diff(String start, String end) {
            if (start == null || end == null || start.isBlank() || end.isBlank()) {
                return null;
            }
            Map<String, long[]> before = parse(start);
            Map<String, long[]> after = parse(end);
            List<Growth> growth = new ArrayList<>();
            after.forEach((name, row) -> {
                long[] was = before.getOrDefault(name, new long[2]);
                growth.add(new Growth(name, row[0] - was[0], row[1] - was[1]));
            });
            growth.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
            return new Diff(total(before), total(after), growth);
        }

        private static long total(Map<String, long[]> rows) {
            return rows.values().stream().mapToLong(r -> r[1]).sum();
        }
    }
}

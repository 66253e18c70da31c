package dev.parley.reliability;

import dev.parley.support.ActiveModels;
import dev.parley.support.ApiTest;
import dev.parley.support.FakeOpenAi;
import dev.parley.support.ProcessLevel;
import dev.parley.support.ServiceProcess;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.parley.support.ServiceProcess.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real service processes on one database, as a deployment scales out, complementing
 * pipeline/TwoInstancesTest (two worker pools in one JVM). Clients alternate between them: posting,
 * reading, searching and a moderator resolving the review queue; then a reindex run to another
 * model is asked of both instances at once and runs under read and search load. No job is lost or
 * run twice (every job succeeded on its first attempt), every post version has one decision and
 * one audit entry, both instances did work, and the run exists once and embedded every chunk once:
 * the fake counts the inputs it received at the run's vector length.
 */
@ProcessLevel
@Timeout(value = 15, unit = TimeUnit.MINUTES)   // two service processes under mixed load on a shared machine
@MicronautTest(transactional = false)
// Any free port: 8080 may be taken by a service running on this machine.
@Property(name = "micronaut.server.port", value = "-1")
@Property(name = "parley.pipeline.workers-enabled", value = "false")
class TwoServiceInstancesTest extends ApiTest {

    private static final String ACTIVE = "text-embedding-3-small@256";
    private static final String REINDEXED = "text-embedding-3-small@128";
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private List<URI> instances;

    @Test
    void twoInstancesUnderMixedLoadLoseAndDoubleNoJobAndReindexOnce() throws Exception {
        String previousModel = ActiveModels.get(db);
        long firstJob = db.count("SELECT COALESCE(max(id), 0) FROM jobs");
        long firstPost = db.count("SELECT COALESCE(max(id), 0) FROM posts");
        long firstRun = db.count("SELECT COALESCE(max(id), 0) FROM reindex_runs");
        ActiveModels.set(db, ACTIVE);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try (FakeOpenAi openAi = FakeOpenAi.start();
             ServiceProcess a = ServiceProcess.start("two-instances-a", 18411, null, env(openAi));
             ServiceProcess b = ServiceProcess.start("two-instances-b", 18412, null, env(openAi))) {
            openAi.scoreWhenContains("mildly rude", "harassment", 0.6);
            openAi.delayEveryAnswer(Duration.ofMillis(20));
            a.awaitHealthy();
            b.awaitHealthy();
            instances = List.of(a.uri(), b.uri());
            String admin = token(ok(0, "POST", "/api/auth/login", null,
                    "{\"username\":\"root\",\"password\":\"root-password-for-tests\"}"));
            String slug = "two" + System.nanoTime() % 1_000_000;
            ok(1, "POST", "/api/categories", admin, "{\"slug\":\"" + slug + "\",\"name\":\"Two\"}");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "twouser" + i + "x" + System.nanoTime() % 1_000_000;
                ok(i, "POST", "/api/auth/register", null, "{\"username\":\"" + name + "\",\"email\":\"" + name
                        + "@example.com\",\"password\":\"password-" + name + "\"}");
                tokens.add(token(ok(i + 1, "POST", "/api/auth/login", null,
                        "{\"username\":\"" + name + "\",\"password\":\"password-" + name + "\"}")));
            }
            String moderator = tokens.get(0);
            String moderatorName = (String) db.value("SELECT username FROM users WHERE username LIKE 'twouser0x%'"
                    + " ORDER BY id DESC LIMIT 1");
            ok(1, "PUT", "/api/admin/users/" + moderatorName + "/role", admin, "{\"role\":\"moderator\"}");
            long thread = id(ok(0, "POST", "/api/threads", tokens.get(1), "{\"category\":\"" + slug
                    + "\",\"title\":\"Shared thread\",\"body\":\"about gardens and rivers\"}"));
            waitFor(() -> send(1, "GET", "/api/threads/" + thread, null, null).statusCode() == 200,
                    "the shared thread to be published");

            // Phase 1: posting, reading, searching and resolving, on both instances.
            AtomicBoolean running = new AtomicBoolean(true);
            for (int c = 0; c < 3; c++) {
                String token = tokens.get(1 + c);
                int client = c;
                clients.execute(() -> {
                    int n = 0;
                    while (running.get()) {
                        n++;
                        String text = (n % 4 == 0 ? "mildly rude " : "") + "client " + client + " says " + n
                                + " things about gardens";
                        String body = call(n, "POST", "/api/threads/" + thread + "/posts", token,
                                "{\"body\":\"" + text + "\"}", 201);
                        if (body != null) {
                            acknowledged.add(id(body));
                        }
                        call(n + 1, "GET", "/api/threads/" + thread + "/posts?limit=50", null, null, 200);
                        call(n, "GET", "/api/search?mode=" + (n % 2 == 0 ? "keyword" : "semantic") + "&q=gardens", null,
                                null, 200);
                    }
                });
            }
            clients.execute(() -> {
                int n = 0;
                while (running.get()) {
                    String queue = call(n++, "GET", "/api/moderation/queue?state=open&limit=5&category=" + slug,
                            moderator, null, 200);
                    Matcher item = ID.matcher(queue == null ? "" : queue);
                    if (item.find()) {
                        // The other instance may have resolved it a moment ago: 409 is an honest answer.
                        call(n, "POST", "/api/moderation/queue/" + item.group(1) + "/resolve", moderator,
                                "{\"action\":\"approve\",\"note\":\"fine\"}", 200, 409);
                    }
                    pause(50);
                }
            });
            waitFor(() -> acknowledged.size() >= 80, "the clients to post on both instances");
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
            awaitIdle(firstJob);
            // Approvals left in the queue are done now, so nothing publishes (and embeds) during the run below.
            String leftover;
            while ((leftover = call(0, "GET", "/api/moderation/queue?state=open&limit=1&category=" + slug, moderator,
                    null, 200)) != null && ID.matcher(leftover).find()) {
                Matcher item = ID.matcher(leftover);
                item.find();
                call(1, "POST", "/api/moderation/queue/" + item.group(1) + "/resolve", moderator,
                        "{\"action\":\"reject\",\"note\":\"done\"}", 200, 409);
            }
            awaitIdle(firstJob);

            // Phase 2: both instances are asked for the same run at once; one runs it, under read and search load.
            openAi.resetCounters();
            String start = "{\"scope\":\"all\",\"model\":\"" + REINDEXED + "\"}";
            CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> send(0, "POST",
                    "/api/admin/reindex", admin, start));
            CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> send(1, "POST",
                    "/api/admin/reindex", admin, start));
            List<Integer> statuses = new ArrayList<>(List.of(onA.get().statusCode(), onB.get().statusCode()));
            statuses.sort(null);
            assertEquals(List.of(202, 409), statuses, "one instance starts the run, the other says it is running");
            long run = db.count("SELECT id FROM reindex_runs WHERE id > ? AND model = ?", firstRun, REINDEXED);
            ExecutorService readers = Executors.newFixedThreadPool(2);
            AtomicBoolean reading = new AtomicBoolean(true);
            for (int r = 0; r < 2; r++) {
                int reader = r;
                readers.execute(() -> {
                    int n = reader;
                    while (reading.get()) {
                        call(n++, "GET", "/api/threads/" + thread, null, null, 200);
                        // Keyword search: a semantic query would embed its text with the run's model once the
                        // run activates it, and the fake's count below is of the run's inputs alone.
                        call(n, "GET", "/api/search?q=rivers&mode=keyword", null, null, 200);
                    }
                });
            }
            waitFor(() -> !db.value("SELECT state FROM reindex_runs WHERE id = ?", run).equals("running"),
                    "the reindex run to finish");
            reading.set(false);
            readers.shutdown();
            assertTrue(readers.awaitTermination(30, TimeUnit.SECONDS));
            awaitIdle(firstJob);

            assertTrue(unexpected.isEmpty(), "unexpected answers: " + unexpected);
            assertEquals("succeeded", db.value("SELECT state FROM reindex_runs WHERE id = ?", run));
            assertEquals(1, db.count("SELECT count(*) FROM reindex_runs WHERE id > ?", firstRun), "one run row");
            long written = db.count("SELECT count(*) FROM post_embeddings WHERE model = ?"
                    + " AND embedded_at >= (SELECT started_at FROM reindex_runs WHERE id = ?)", REINDEXED, run);
            assertTrue(written > 0);
            assertEquals(written, openAi.embeddingInputs(128), "every chunk embedded once: no batch ran twice");
            long batches = (db.count("SELECT total FROM reindex_runs WHERE id = ?", run) + 49) / 50 + 1;
            // An unthrottled run goes batch after batch within one job's slice, so jobs are at most one per
            // batch and one to finish; that no batch ran twice is the embedding count above.
            long reindexJobs = db.count("SELECT count(*) FROM jobs WHERE kind = 'reindex' AND id > ?", firstJob);
            assertTrue(reindexJobs >= 1 && reindexJobs <= batches, reindexJobs + " jobs for " + batches + " batches");
            assertEquals(0, db.count("SELECT count(*) FROM jobs WHERE id > ? AND (state <> 'succeeded' OR attempts <> 1)",
                    firstJob), "every job ran once and succeeded");
            assertEquals(0, db.count("""
                    SELECT count(*) FROM posts p WHERE p.id > ? AND
                      ((SELECT count(*) FROM moderation_decisions d WHERE d.post_id = p.id) <> 1
                       OR (SELECT count(*) FROM moderation_audit m WHERE m.post_id = p.id AND m.action = 'decision') <> 1)""",
                    firstPost), "one decision and one audit entry per post");
            for (long id : acknowledged) {
                assertEquals(1, db.count("SELECT count(*) FROM posts WHERE id = ? AND status <> 'pending'", id));
            }
            for (int i = 0; i < 2; i++) {
                Matcher completed = Pattern.compile("parley_jobs_completed_total\\{kind=\"moderate\"} ([0-9.E]+)")
                        .matcher(send(i, "GET", "/prometheus", null, null).body());
                assertTrue(completed.find() && Double.parseDouble(completed.group(1)) > 0,
                        "instance " + i + " moderated posts");
            }
            System.out.printf("two instances: %d posts, %d jobs, reindex run %d embedded %d chunks once%n",
                    acknowledged.size(), db.count("SELECT count(*) FROM jobs WHERE id > ?", firstJob), run, written);
        } finally {
            clients.shutdownNow();
            db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
            ActiveModels.set(db, previousModel);
        }
    }

    private Map<String, String> env(FakeOpenAi openAi) {
        Map<String, String> env = ServiceProcess.baseEnv(
                environment.getRequiredProperty("datasources.default.url", String.class), "30s");
        env.put("OPENAI_API_KEY", "sk-two-instances");
        env.put("OPENAI_BASE_URL", openAi.baseUrl());
        env.put("PARLEY_MODERATION_PROVIDER", "openai");
        env.put("PARLEY_EMBEDDING_PROVIDER", "openai");
        env.put("PARLEY_EMBEDDING_MODEL", "text-embedding-3-small");
        env.put("PARLEY_EMBEDDING_DIMENSIONS", "256");
        env.put("PARLEY_REINDEX_BATCH_SIZE", "50");
        return env;
    }

    private void awaitIdle(long firstJob) throws InterruptedException {
        waitFor(() -> db.count("SELECT count(*) FROM jobs WHERE id > ? AND state IN ('queued', 'running')", firstJob) == 0,
                "the jobs to drain");
    }

    /** Sends to instance {@code n % 2}; records an answer not in {@code expected} and returns null for it. */
    private String call(int n, String method, String path, String token, String json, int... expected) {
        HttpResponse<String> response = send(n, method, path, token, json);
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body();
            }
        }
        if (response.statusCode() >= 500 || !(method.equals("POST") && response.statusCode() == 404)) {
            // A reply to a thread whose first post is still being moderated may be 404; anything else is not.
            unexpected.add(method + " " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return null;
    }

    private String ok(int n, String method, String path, String token, String json) {
        HttpResponse<String> response = send(n, method, path, token, json);
        return response.statusCode() < 300 ? response.body() : null;
    }

    private HttpResponse<String> send(int n, String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(instances.get(Math.floorMod(n, 2)).resolve(path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    private static String token(String body) {
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(body);
        assertTrue(m.find(), "no token in " + body);
        return m.group(1);
    }

    private static long id(String body) {
        Matcher m = ID.matcher(body);
        assertTrue(m.find(), "no id in " + body);
        return Long.parseLong(m.group(1));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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
 * The whole system under kill -9: the real service runs as a separate JVM with OpenAI moderation and
 * embeddings played by the fake server, many clients create threads and replies, moderation and
 * embedding jobs run, and a reindex run is going. The instance is killed twice mid-flight and
 * started again each time. Afterwards every acknowledged (201) post exists, every job has
 * completed, no effect ran twice (one moderation decision, one automated audit entry and at most one
 * review item per post version; one vector row per post, chunk and model), and the reindex run
 * resumed and succeeded.
 */
@ProcessLevel
@Timeout(value = 15, unit = TimeUnit.MINUTES)   // two kills and three service starts on a shared two-core machine
@MicronautTest(transactional = false)
// Any free port: 8080 may be taken by a service running on this machine.
@Property(name = "micronaut.server.port", value = "-1")
@Property(name = "parley.pipeline.workers-enabled", value = "false")
class CrashSafetyTest extends ApiTest {

    private static final String MODEL = "text-embedding-3-small@256";
    private static final int CLIENTS = 6;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private volatile URI target;
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();

    @Test
    void killedTwiceMidFlightTheServiceLosesNothingAndDoesNothingTwice() throws Exception {
        String previousModel = ActiveModels.get(db);
        long firstJob = db.count("SELECT COALESCE(max(id), 0) FROM jobs");
        long firstPost = db.count("SELECT COALESCE(max(id), 0) FROM posts");
        long firstRun = db.count("SELECT COALESCE(max(id), 0) FROM reindex_runs");
        ActiveModels.set(db, MODEL);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean posting = new AtomicBoolean(true);
        List<ServiceProcess> started = new ArrayList<>();
        try (FakeOpenAi openAi = FakeOpenAi.start()) {
            openAi.scoreWhenContains("mildly rude", "harassment", 0.6);
            // Slow enough answers that jobs are always held when the kill comes.
            openAi.delayEveryAnswer(Duration.ofMillis(40));
            Map<String, String> env = ServiceProcess.baseEnv(
                    environment.getRequiredProperty("datasources.default.url", String.class), "2s");
            env.put("OPENAI_API_KEY", "sk-crash-test");
            env.put("OPENAI_BASE_URL", openAi.baseUrl());
            env.put("PARLEY_MODERATION_PROVIDER", "openai");
            env.put("PARLEY_EMBEDDING_PROVIDER", "openai");
            env.put("PARLEY_EMBEDDING_MODEL", "text-embedding-3-small");
            env.put("PARLEY_EMBEDDING_DIMENSIONS", "256");
            env.put("PARLEY_REINDEX_BATCH_SIZE", "10");

            ServiceProcess first = startInstance("crash-first", 18401, env, started);
            String admin = token(send("POST", "/api/auth/login", null,
                    "{\"username\":\"root\",\"password\":\"root-password-for-tests\"}"));
            String slug = "crash" + System.nanoTime() % 1_000_000;
            expect(201, "POST", "/api/categories", admin, "{\"slug\":\"" + slug + "\",\"name\":\"Crash\"}");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String name = "crashuser" + i + "x" + System.nanoTime() % 1_000_000;
                expect(201, "POST", "/api/auth/register", null, "{\"username\":\"" + name + "\",\"email\":\"" + name
                        + "@example.com\",\"password\":\"password-" + name + "\"}");
                tokens.add(token(send("POST", "/api/auth/login", null,
                        "{\"username\":\"" + name + "\",\"password\":\"password-" + name + "\"}")));
            }
            long thread = id(expect(201, "POST", "/api/threads", tokens.get(0), "{\"category\":\"" + slug
                    + "\",\"title\":\"Crash thread\",\"body\":\"the first post\"}"));
            for (int c = 0; c < CLIENTS; c++) {
                String token = tokens.get(c);
                int client = c;
                clients.execute(() -> postUntilStopped(posting, token, slug, thread, client));
            }
            waitFor(() -> acknowledged.size() >= 60, "the clients to get posts acknowledged");
            // A reindex of the active model over everything published, throttled to last through both kills.
            long published = db.count("SELECT count(*) FROM posts WHERE status = 'published'");
            double perSecond = Math.max(5, published / 15.0);
            long run = id(expect(202, "POST", "/api/admin/reindex", admin, "{\"scope\":\"all\",\"model\":\"" + MODEL
                    + "\",\"maxPerSecond\":" + perSecond + "}"));
            waitFor(() -> runDone(run) > 0, "the reindex run to make progress");

            long heldAtFirstKill = runningJobs(firstJob);
            first.kill();
            assertEquals("running", runState(run), "the first kill interrupted the reindex run");
            int beforeSecond = acknowledged.size();
            ServiceProcess second = startInstance("crash-second", 18402, env, started);
            waitFor(() -> acknowledged.size() >= beforeSecond + 40 && runningJobs(firstJob) > 0,
                    "the restarted instance to take posts and hold jobs");
            long heldAtSecondKill = runningJobs(firstJob);
            second.kill();

            ServiceProcess third = startInstance("crash-third", 18403, env, started);
            int beforeThird = acknowledged.size();
            waitFor(() -> acknowledged.size() >= beforeThird + 20, "the third instance to take posts");
            posting.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));

            waitFor(() -> db.count("SELECT count(*) FROM jobs WHERE id > ? AND state IN ('queued', 'running')",
                    firstJob) == 0 && !runState(run).equals("running"), "every job to complete after the restarts");
            System.out.printf("crash safety: %d posts acknowledged, %d and %d jobs held at the kills, reindex run %d"
                            + " of %d posts%n", acknowledged.size(), heldAtFirstKill, heldAtSecondKill, run,
                    db.count("SELECT total FROM reindex_runs WHERE id = ?", run));
            third.close();

            assertTrue(serverErrors.isEmpty(), "server errors: " + serverErrors);
            assertEquals(0, db.count("SELECT count(*) FROM jobs WHERE id > ? AND state <> 'succeeded'", firstJob),
                    "no job queued, running or dead");
            // Every acknowledged post exists and was decided.
            for (long id : acknowledged) {
                assertEquals(1, db.count("SELECT count(*) FROM posts WHERE id = ? AND status <> 'pending'", id),
                        "acknowledged post " + id + " exists and was moderated");
            }
            // No effect twice: per post version one decision and one automated audit entry, at most one open
            // review item per post, one vector row per chunk (the primary key holds that) and the current version.
            assertEquals(0, db.count("""
                    SELECT count(*) FROM posts p WHERE p.id > ? AND
                      (SELECT count(*) FROM moderation_decisions d WHERE d.post_id = p.id AND d.post_version = p.version) <> 1""",
                    firstPost), "exactly one decision per post version");
            assertEquals(0, db.count("""
                    SELECT count(*) FROM posts p WHERE p.id > ? AND
                      (SELECT count(*) FROM moderation_audit a WHERE a.post_id = p.id AND a.actor = 'system'
                          AND a.action = 'decision') <> 1""", firstPost), "one automated audit entry per post");
            assertEquals(0, db.count("SELECT count(*) FROM (SELECT post_id FROM review_items WHERE post_id > ?"
                    + " GROUP BY post_id HAVING count(*) > 1) twice", firstPost), "one review item per post");
            assertTrue(db.count("SELECT count(*) FROM review_items WHERE post_id > ?", firstPost) > 0,
                    "some posts were flagged for review");
            assertEquals(0, db.count("""
                    SELECT count(*) FROM posts p WHERE p.id > ? AND p.status = 'published' AND NOT EXISTS (
                      SELECT 1 FROM post_embeddings e WHERE e.model = ? AND e.post_id = p.id AND e.chunk = 0
                         AND e.post_version = p.version)""", firstPost, MODEL), "every published post is embedded");
            // The reindex run resumed after the kills and finished, once.
            assertEquals("succeeded", runState(run));
            assertEquals(1, db.count("SELECT count(*) FROM reindex_runs WHERE id > ?", firstRun), "one run row");
            assertEquals(0, db.count("SELECT failed FROM reindex_runs WHERE id = ?", run));
            assertTrue(db.count("SELECT done FROM reindex_runs WHERE id = ?", run)
                    >= db.count("SELECT total FROM reindex_runs WHERE id = ?", run), "the run covered its posts");
        } finally {
            posting.set(false);
            clients.shutdownNow();
            for (ServiceProcess process : started) {
                process.kill();
            }
            db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
            ActiveModels.set(db, previousModel);
        }
    }

    private ServiceProcess startInstance(String name, int port, Map<String, String> env, List<ServiceProcess> started)
            throws Exception {
        ServiceProcess process = ServiceProcess.start(name, port, null, env);
        started.add(process);
        process.awaitHealthy();
        target = process.uri();
        return process;
    }

    /** Posts until told to stop; only a 201 counts as acknowledged, a dropped connection is retried. */
    private void postUntilStopped(AtomicBoolean posting, String token, String slug, long thread, int client) {
        int n = 0;
        while (posting.get()) {
            n++;
            String text = (n % 7 == 0 ? "mildly rude " : "") + "client " + client + " post " + n
                    + " about gardens, bicycles and the weather";
            try {
                HttpResponse<String> response = n % 5 == 0
                        ? send("POST", "/api/threads", token, "{\"category\":\"" + slug + "\",\"title\":\"Thread "
                        + client + "-" + n + "\",\"body\":\"" + text + "\"}")
                        : send("POST", "/api/threads/" + thread + "/posts", token, "{\"body\":\"" + text + "\"}");
                if (response.statusCode() == 201) {
                    Matcher m = Pattern.compile(n % 5 == 0 ? "\"firstPost\":\\{\"id\":(\\d+)" : "^\\{\"id\":(\\d+)")
                            .matcher(response.body());
                    if (m.find()) {
                        acknowledged.add(Long.parseLong(m.group(1)));
                    }
                } else if (response.statusCode() >= 500) {
                    serverErrors.add(response.statusCode() + " " + response.body());
                }
            } catch (Exception connectionLost) {
                sleepQuietly();   // the instance is down: try again, as a client would
            }
        }
    }

    private HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String expect(int status, String method, String path, String token, String json) throws Exception {
        HttpResponse<String> response = send(method, path, token, json);
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body();
    }

    private long runningJobs(long afterJob) {
        return db.count("SELECT count(*) FROM jobs WHERE id > ? AND state = 'running'", afterJob);
    }

    private long runDone(long run) {
        return db.count("SELECT done FROM reindex_runs WHERE id = ?", run);
    }

    private String runState(long run) {
        return (String) db.value("SELECT state FROM reindex_runs WHERE id = ?", run);
    }

    private static String token(HttpResponse<String> response) {
        Matcher m = TOKEN.matcher(response.body());
        assertTrue(m.find(), "no token in " + response.body());
        return m.group(1);
    }

    private static long id(String body) {
        Matcher m = ID.matcher(body);
        assertTrue(m.find(), "no id in " + body);
        return Long.parseLong(m.group(1));
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

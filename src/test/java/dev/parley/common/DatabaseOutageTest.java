package dev.parley.common;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.ProcessLevel;
import dev.parley.support.ServiceInstance;
import dev.parley.support.TcpProxy;
import io.micronaut.context.annotation.Property;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 30-second database outage under write load, without touching the shared PostgreSQL: a service
 * instance reaches the database through a {@link TcpProxy} that drops every connection and refuses
 * new ones, then lets them through again. Meanwhile every request is answered, with 503 problem+json
 * and Retry-After, rather than hanging; afterwards the instance serves writes again by itself, every
 * acknowledged (201) write is there, whole, and its jobs complete on the same instance's workers.
 * The test's own context runs no workers, so the proxied instance's workers did all the job work.
 */
@ProcessLevel
@Timeout(value = 15, unit = TimeUnit.MINUTES)   // its drain alone may take three minutes after the outage
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
class DatabaseOutageTest extends ApiTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** A request still unanswered after this long counts as hung. */
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final int WRITERS = 4;
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:]+)(?::(\\d+))?/(.+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answered (or unanswered) request of the load. */
    record Outcome(String phase, String method, int status, long millis, String body, String contentType,
                   String retryAfter, String error) {
    }

    @Test
    void writesAreRefusedWith503DuringAnOutageAndNothingAcknowledgedIsLost() throws Exception {
        Matcher url = JDBC_URL.matcher(environment.getRequiredProperty("datasources.default.url", String.class));
        assertTrue(url.matches(), "a plain PostgreSQL JDBC URL");
        int pgPort = url.group(2) == null ? 5432 : Integer.parseInt(url.group(2));
        try (TcpProxy proxy = TcpProxy.start(url.group(1), pgPort);
             ServiceInstance instance = ServiceInstance.start(Map.of(
                     "datasources.default.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.group(3),
                     "parley.pipeline.workers-enabled", "true"))) {
            Api target = instance.api();
            String slug = target.category("outage");
            List<Api.User> users = new ArrayList<>();
            List<Long> threads = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                Api.User user = target.register("outage");
                users.add(user);
                threads.add(target.thread(user, slug, "Outage thread " + i, "opening post " + i).get("id").getLongValue());
            }
            URI base = instance.server().getURI();

            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            List<Long> acknowledgedPosts = Collections.synchronizedList(new ArrayList<>());
            List<Long> acknowledgedThreads = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>("before");
            List<Thread> load = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Api.User user = users.get(w);
                long threadId = threads.get(w);
                int writer = w;
                load.add(new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        boolean newThread = n % 5 == 4;
                        String body = "outage write " + writer + "/" + n;
                        Outcome outcome = newThread
                                ? send(base, "POST", "/api/threads", user.token(), json(Map.of("category", slug,
                                        "title", "Outage spawn " + writer + "/" + n, "body", body)), phase.get())
                                : send(base, "POST", "/api/threads/" + threadId + "/posts", user.token(),
                                        json(Map.of("body", body)), phase.get());
                        outcomes.add(outcome);
                        if (outcome.status() == 201) {
                            JsonNode created = parse(outcome.body());
                            if (newThread) {
                                acknowledgedThreads.add(created.get("id").getLongValue());
                                acknowledgedPosts.add(created.get("firstPost").get("id").getLongValue());
                            } else {
                                acknowledgedPosts.add(created.get("id").getLongValue());
                            }
                        } else {
                            pause(200);
                        }
                    }
                }, "outage-writer-" + w));
            }
            List<Outcome> health = Collections.synchronizedList(new ArrayList<>());
            load.add(new Thread(() -> {
                while (!stop.get()) {
                    health.add(send(base, "GET", "/health", null, null, phase.get()));
                    pause(1000);
                }
            }, "outage-health"));
            load.forEach(Thread::start);

            awaitSuccesses(outcomes, "before", WRITERS * 3);
            phase.set("during");
            proxy.cut();
            Thread.sleep(OUTAGE.toMillis());
            phase.set("after");
            proxy.resume();
            awaitSuccesses(outcomes, "after", WRITERS * 3);
            stop.set(true);
            for (Thread thread : load) {
                thread.join(HANG.toMillis() + 5_000);
            }

            List<Outcome> all = List.copyOf(outcomes);
            report(all);
            List<Outcome> wrong = all.stream().filter(o -> o.status() != 201 && o.status() != 503).toList();
            assertTrue(wrong.isEmpty(), "only 201 or 503, never a 500 or a hang: " + wrong);
            List<Outcome> refused = all.stream().filter(o -> o.status() == 503).toList();
            assertTrue(refused.size() >= WRITERS, "the outage was felt: " + refused.size() + " 503s");
            for (Outcome o : refused) {
                assertTrue(o.contentType().startsWith("application/problem+json"), o.toString());
                assertTrue(o.retryAfter() != null && o.retryAfter().matches("[1-9][0-9]*"), o.toString());
                assertEquals(503, parse(o.body()).get("status").getIntValue());
                assertTrue(!o.body().contains("Exception") && !o.body().contains("SQL"), o.toString());
            }
            assertTrue(health.stream().anyMatch(h -> h.phase().equals("during") && h.status() == 503
                    && h.body().contains("DOWN")), "/health said DOWN during the outage: " + health);

            // Every acknowledged write is there, whole.
            for (long postId : List.copyOf(acknowledgedPosts)) {
                assertEquals(1, db.count("SELECT count(*) FROM posts WHERE id = ?", postId), "post " + postId);
            }
            for (long threadId : List.copyOf(acknowledgedThreads)) {
                assertEquals(1, db.count("SELECT count(*) FROM posts WHERE thread_id = ?", threadId),
                        "thread " + threadId + " with its first post");
            }
            Long[] authors = users.stream().map(Api.User::id).toArray(Long[]::new);
            assertEquals(0, db.count("SELECT count(*) FROM threads t WHERE t.author_id = ANY(?)"
                    + " AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.thread_id = t.id)", (Object) authors),
                    "no thread without its first post");
            assertEquals(0, db.count("SELECT count(*) FROM posts p WHERE p.author_id = ANY(?) AND NOT EXISTS"
                    + " (SELECT 1 FROM jobs j WHERE j.kind = 'moderate' AND j.payload->>'postId' = p.id::text)",
                    (Object) authors), "no post without its moderation job");

            // Every job of those posts completes on the instance that lived through the outage.
            String unfinished = "SELECT count(*) FROM jobs j JOIN posts p ON j.payload->>'postId' = p.id::text"
                    + " WHERE p.author_id = ANY(?) AND j.state <> 'succeeded'";
            String pending = "SELECT count(*) FROM posts WHERE author_id = ANY(?) AND status = 'pending'";
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while ((db.count(unfinished, (Object) authors) > 0 || db.count(pending, (Object) authors) > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertEquals(0, db.count(unfinished, (Object) authors), "every job completed: "
                    + db.column("SELECT j.id || ' ' || j.kind || ' ' || j.state || ' ' || coalesce(j.last_error, '')"
                    + " FROM jobs j JOIN posts p ON j.payload->>'postId' = p.id::text"
                    + " WHERE p.author_id = ANY(?) AND j.state <> 'succeeded'", (Object) authors));
            assertEquals(0, db.count(pending, (Object) authors), "every post moderated");
            for (long postId : List.copyOf(acknowledgedPosts)) {
                assertEquals("published", db.value("SELECT status FROM posts WHERE id = ?", postId));
            }
            var healthAfter = target.get("/health", null);
            assertEquals(200, healthAfter.status(), healthAfter.body());
        }
    }

    private void awaitSuccesses(List<Outcome> outcomes, String phase, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (outcomes) {
                if (outcomes.stream().filter(o -> o.phase().equals(phase) && o.status() == 201).count() >= count) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fewer than " + count + " writes succeeded " + phase + " the outage");
    }

    private static void report(List<Outcome> all) {
        for (String phase : new String[]{"before", "during", "after"}) {
            List<Outcome> in = all.stream().filter(o -> o.phase().equals(phase)).toList();
            long created = in.stream().filter(o -> o.status() == 201).count();
            long unavailable = in.stream().filter(o -> o.status() == 503).count();
            long max503 = in.stream().filter(o -> o.status() == 503).mapToLong(Outcome::millis).max().orElse(0);
            long maxAll = in.stream().mapToLong(Outcome::millis).max().orElse(0);
            System.out.printf("database outage, %s: %d requests, %d x 201, %d x 503 (slowest 503 %d ms),"
                    + " slowest answer %d ms%n", phase, in.size(), created, unavailable, max503, maxAll);
        }
    }

    private Outcome send(URI base, String method, String path, String token, String body, String phase) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(HANG);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(phase, method + " " + path, response.statusCode(), (System.nanoTime() - start) / 1_000_000,
                    response.body(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), null);
        } catch (HttpTimeoutException e) {
            return new Outcome(phase, method + " " + path, -1, HANG.toMillis(), "", "", null, "no answer: hung");
        } catch (IOException e) {
            return new Outcome(phase, method + " " + path, -2, (System.nanoTime() - start) / 1_000_000, "", "", null,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(phase, method + " " + path, -3, 0, "", "", null, "interrupted");
        }
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readValue(body, JsonNode.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

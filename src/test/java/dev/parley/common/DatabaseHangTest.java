package dev.parley.common;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.ProcessLevel;
import dev.parley.support.ServiceInstance;
import dev.parley.support.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database that hangs rather than goes down: a service instance reaches PostgreSQL through a
 * {@link TcpProxy} that keeps accepting connections but stops forwarding bytes (a stalled network).
 * Every request then answers 503 problem+json within the bound its configuration sets (the larger of
 * the network timeout and the pool's connection plus validation timeouts), never hangs; once the
 * breaker has found the database silent, requests are refused without waiting on the pool at all;
 * and when bytes flow again the instance serves reads and writes, and its workers moderate, by itself.
 * Small timeouts keep the test short; the bounds asserted add generous slack for a loaded machine.
 */
@ProcessLevel
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@MicronautTest(transactional = false)
@Property(name = "parley.pipeline.workers-enabled", value = "false")
class DatabaseHangTest extends ApiTest {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:]+)(?::(\\d+))?/(.+)");
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** What a request may wait for the database, from the configuration above. */
    private static final Duration BOUND = max(NETWORK_TIMEOUT, CONNECTION_TIMEOUT.plus(VALIDATION_TIMEOUT));
    /** Room for a loaded 2-core machine: scheduling, GC, the proxy's threads. */
    private static final Duration SLACK = Duration.ofSeconds(10);
    private static final int CLIENTS = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Outcome(String request, int status, long millis, String contentType, String retryAfter, String body) {
    }

    @Test
    void requestsAnswer503WithinTheBoundWhileTheDatabaseHangsAndTheServiceRecoversByItself() throws Exception {
        Matcher url = JDBC_URL.matcher(environment.getRequiredProperty("datasources.default.url", String.class));
        assertTrue(url.matches(), "a plain PostgreSQL JDBC URL");
        int pgPort = url.group(2) == null ? 5432 : Integer.parseInt(url.group(2));
        try (TcpProxy proxy = TcpProxy.start(url.group(1), pgPort);
             ServiceInstance instance = ServiceInstance.start(Map.of(
                     "datasources.default.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.group(3),
                     "datasources.default.connection-timeout", String.valueOf(CONNECTION_TIMEOUT.toMillis()),
                     "parley.database.network-timeout", NETWORK_TIMEOUT.toSeconds() + "s",
                     "parley.database.statement-timeout", "2s",
                     "parley.database.validation-timeout", VALIDATION_TIMEOUT.toSeconds() + "s",
                     "parley.database.probe-interval", PROBE_INTERVAL.toSeconds() + "s",
                     "parley.database.probe-timeout", PROBE_TIMEOUT.toSeconds() + "s",
                     "parley.pipeline.workers-enabled", "true"))) {
            Api target = instance.api();
            String slug = target.category("hang");
            Api.User author = target.register("hang");
            long threadId = target.thread(author, slug, "Hanging database", "opening post").get("id").getLongValue();
            URI base = instance.server().getURI();
            assertEquals(200, send(base, "GET", "/api/threads/" + threadId, null, null).status());
            DatabaseBreaker breaker = instance.bean(DatabaseBreakers.class).of("default");

            proxy.stall();
            // Several clients at once, reads and writes, while the database hangs.
            List<Outcome> during = Collections.synchronizedList(new ArrayList<>());
            List<Thread> clients = new ArrayList<>();
            long stallEnds = System.nanoTime() + BOUND.multipliedBy(3).toNanos();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(new Thread(() -> {
                    for (int n = 0; System.nanoTime() < stallEnds; n++) {
                        during.add(n % 2 == 0
                                ? send(base, "GET", "/api/threads/" + threadId + "/posts", null, null)
                                : send(base, "POST", "/api/threads/" + threadId + "/posts", author.token(),
                                        "{\"body\":\"written while the database hangs " + client + "/" + n + "\"}"));
                    }
                }, "hang-client-" + c));
            }
            clients.forEach(Thread::start);
            for (Thread client : clients) {
                client.join(BOUND.multipliedBy(3).plus(SLACK).plus(SLACK).toMillis());
            }
            report("during the hang", during);
            assertTrue(during.size() >= CLIENTS, "requests were made: " + during);
            for (Outcome o : List.copyOf(during)) {
                assertEquals(503, o.status(), "a 503 while the database hangs: " + o);
                assertTrue(o.contentType().startsWith("application/problem+json"), o.toString());
                assertTrue(o.retryAfter() != null && o.retryAfter().matches("[1-9][0-9]*"), o.toString());
                assertTrue(o.millis() <= BOUND.plus(SLACK).toMillis(),
                        "answered within the bound " + BOUND + " + " + SLACK + ": " + o);
            }
            assertTrue(breaker.isOpen(), "the breaker found the database silent");

            // While the breaker is open, the pool is not asked: no request waits out its connection timeout.
            MeterRegistry meters = instance.bean(MeterRegistry.class);
            double timeoutsBefore = poolTimeouts(meters);
            List<Outcome> open = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                open.add(send(base, "GET", "/api/threads/" + threadId, null, null));
            }
            report("breaker open", open);
            open.forEach(o -> assertEquals(503, o.status(), o.toString()));
            assertEquals(timeoutsBefore, poolTimeouts(meters), "no request waited for a pooled connection");
            Outcome health = send(base, "GET", "/health", null, null);
            assertEquals(503, health.status(), "/health is DOWN: " + health);

            proxy.unstall();
            // Recovery by itself: the next probe gets an answer and closes the breaker.
            Outcome read = null;
            long deadline = System.nanoTime() + PROBE_INTERVAL.plus(PROBE_TIMEOUT).plus(BOUND).plus(SLACK).toNanos();
            while (System.nanoTime() < deadline) {
                read = send(base, "GET", "/api/threads/" + threadId, null, null);
                if (read.status() == 200) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(read != null && read.status() == 200, "reads are served again: " + read);
            Outcome write = send(base, "POST", "/api/threads/" + threadId + "/posts", author.token(),
                    "{\"body\":\"written after the database answered again\"}");
            assertEquals(201, write.status(), write.toString());
            long postId = json.readValue(write.body(), io.micronaut.json.tree.JsonNode.class).get("id").getLongValue();
            // The instance's workers, which lived through the hang, moderate the new post.
            target.awaitModerated(postId, author.token(), "published");
            assertEquals(200, send(base, "GET", "/health", null, null).status());
        }
    }

    private static double poolTimeouts(MeterRegistry meters) {
        return meters.find("hikaricp.connections.timeout").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static void report(String phase, List<Outcome> outcomes) {
        List<Outcome> all = List.copyOf(outcomes);
        long slowest = all.stream().mapToLong(Outcome::millis).max().orElse(0);
        double mean = all.stream().mapToLong(Outcome::millis).average().orElse(0);
        System.out.printf("database hang, %s: %d requests, statuses %s, mean %.0f ms, slowest %d ms%n", phase,
                all.size(), all.stream().map(Outcome::status).distinct().sorted().toList(), mean, slowest);
    }

    private Outcome send(URI base, String method, String path, String token, String body) {
        // Far above any bound: a request still unanswered then has hung.
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
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
            return new Outcome(method + " " + path, response.statusCode(), (System.nanoTime() - start) / 1_000_000,
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null), response.body());
        } catch (IOException e) {
            return new Outcome(method + " " + path, -1, (System.nanoTime() - start) / 1_000_000, "", null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(method + " " + path, -2, 0, "", null, "interrupted");
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

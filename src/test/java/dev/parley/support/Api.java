package dev.parley.support;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Talks to the running service over real HTTP, the way a REST client would, and never throws on
 * an error status so tests can assert on problem+json bodies.
 */
public final class Api {

    public static final String ADMIN = "root";
    public static final String ADMIN_PASSWORD = "root-password-for-tests";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final URI base;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newHttpClient();

    public Api(EmbeddedServer server, JsonMapper json) {
        this.base = server.getURI();
        this.json = json;
    }

    /** A registered, logged-in user. */
    public record User(long id, String username, String token) {
    }

    public Res get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Res post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Res put(String path, String token, Object body) {
        return send("PUT", path, token, body);
    }

    public Res patch(String path, String token, Object body) {
        return send("PATCH", path, token, body);
    }

    public Res delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** Sends {@code body} as JSON: a String is sent as it is, anything else is serialised. */
    public Res send(String method, String path, String token, Object body) {
        try {
            byte[] bytes = body == null ? null
                    : body instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                    : body instanceof byte[] raw ? raw : json.writeValueAsBytes(body);
            return sendRaw(method, path, token, bytes, "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Res sendRaw(String method, String path, String token, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Res(response.statusCode(), response.body(), response.headers(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String unique(String prefix) {
        return prefix + SEQUENCE.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    public User register(String prefix) {
        String username = unique(prefix);
        String password = "password-" + username;
        Res created = post("/api/auth/register",
                null, Map.of("username", username, "email", username + "@example.com", "password", password));
        assertEquals(201, created.status(), created.body());
        return new User(created.json().get("id").getLongValue(), username, login(username, password));
    }

    public String login(String username, String password) {
        Res res = post("/api/auth/login", null, Map.of("username", username, "password", password));
        assertEquals(200, res.status(), res.body());
        return res.text("access_token");
    }

    public String adminToken() {
        return login(ADMIN, ADMIN_PASSWORD);
    }

    public User withRole(String prefix, String role) {
        User user = register(prefix);
        Res res = put("/api/admin/users/" + user.username() + "/role", adminToken(), Map.of("role", role));
        assertEquals(200, res.status(), res.body());
        return user;
    }

    /** Creates a category as the bootstrap admin and returns its slug. */
    public String category(String prefix) {
        String slug = unique(prefix).toLowerCase();
        Res res = post("/api/categories", adminToken(),
                Map.of("slug", slug, "name", "Category " + slug, "description", "About " + slug));
        assertEquals(201, res.status(), res.body());
        return slug;
    }

    /** Opens a thread, waits until moderation published its first post, and returns the thread's JSON. */
    public JsonNode thread(User author, String category, String title, String body) {
        Res res = post("/api/threads", author.token(), Map.of("category", category, "title", title, "body", body));
        assertEquals(201, res.status(), res.body());
        long threadId = res.id();
        awaitModerated(res.json().get("firstPost").get("id").getLongValue(), author.token(), "published");
        return get("/api/threads/" + threadId, author.token()).expect(200).json();
    }

    /** Replies, waits until moderation published the reply, and returns the post's JSON. */
    public JsonNode reply(User author, long threadId, String body) {
        Res res = post("/api/threads/" + threadId + "/posts", author.token(), Map.of("body", body));
        assertEquals(201, res.status(), res.body());
        return awaitModerated(res.id(), author.token(), "published");
    }

    /**
     * Waits until the background moderation has decided on a post, as its author sees it, and
     * asserts the decision.
     */
    public JsonNode awaitModerated(long postId, String authorToken, String expectedStatus) {
        JsonNode post = Waits.poll(Waits.PATIENCE, () -> {
            JsonNode current = get("/api/posts/" + postId, authorToken).expect(200).json();
            return current.get("status").getStringValue().equals("pending") ? null : current;
        }, () -> "moderation of post " + postId + ", still pending");
        assertEquals(expectedStatus, post.get("status").getStringValue(), "moderation of post " + postId);
        return post;
    }

    /**
     * Waits until the background moderation has decided on the thread's newest title edit, as the
     * author sees the thread: no {@code pendingTitle} any more (published) or one no longer pending.
     */
    public JsonNode awaitTitleModerated(long threadId, String authorToken) {
        return Waits.poll(Waits.PATIENCE, () -> {
            JsonNode thread = get("/api/threads/" + threadId, authorToken).expect(200).json();
            JsonNode pending = thread.get("pendingTitle");
            return pending != null && pending.get("status").getStringValue().equals("pending") ? null : thread;
        }, () -> "moderation of the title of thread " + threadId + ", still pending");
    }

    public static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** A response: status, raw body and headers. */
    public record Res(int status, String body, java.net.http.HttpHeaders headers, JsonMapper mapper) {

        public JsonNode json() {
            try {
                return mapper.readValue(body, JsonNode.class);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String text(String field) {
            JsonNode node = json().get(field);
            assertNotNull(node, field + " missing in " + body);
            return node.getStringValue();
        }

        public long id() {
            return json().get("id").getLongValue();
        }

        public Res expect(int expected) {
            assertEquals(expected, status, body);
            return this;
        }

        /** Asserts a problem+json error of this status that leaks nothing about the implementation. */
        public Res expectProblem(int expected) {
            assertEquals(expected, status, body);
            assertTrue(headers.firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    "content type of " + body + ": " + headers.firstValue("Content-Type"));
            JsonNode problem = json();
            assertEquals(expected, problem.get("status").getIntValue());
            assertNotNull(problem.get("type"), body);
            assertNotNull(problem.get("title"), body);
            assertNotNull(problem.get("detail"), body);
            for (String leak : new String[]{"Exception", "dev.parley", "io.micronaut", "java.", "SQL", "postgres"}) {
                assertFalse(body.contains(leak), "problem leaks '" + leak + "': " + body);
            }
            return this;
        }

        /** Asserts a 422 that names {@code field} among its errors. */
        public Res expectInvalid(String field) {
            expectProblem(422);
            JsonNode errors = json().get("errors");
            assertNotNull(errors, body);
            boolean named = false;
            for (JsonNode error : errors.values()) {
                named |= field.equals(error.get("field").getStringValue());
            }
            assertTrue(named, "no error for field " + field + " in " + body);
            return this;
        }
    }
}

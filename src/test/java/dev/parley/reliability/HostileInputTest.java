package dev.parley.reliability;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.HostileCorpus;
import dev.parley.support.HostileCorpus.Named;
import dev.parley.support.HostileCorpus.RawJson;
import dev.parley.support.RawHttp;
import dev.parley.support.TableCounts;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import dev.parley.pipeline.WorkerPools;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends a generated corpus of malformed and adversarial requests to every endpoint the router
 * knows (so endpoints added later are covered without editing this test), as an anonymous caller,
 * a member and an admin. Every answer must be a 4xx problem+json that leaks nothing, or a 2xx when
 * the input is in fact valid (then free text must come back exactly as sent); never a 5xx. A
 * refused request must leave the row count of every table unchanged. Requests the JDK client will
 * not send (bad framing, invalid bytes in the request line, a 10 MB body) go over a raw socket.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)   // one method walks every route with every hostile input
@MicronautTest(transactional = false)
// Any free port: 8080 may be taken by a service running on this machine.
@Property(name = "micronaut.server.port", value = "-1")
// No background work: every row-count change is then the request's own, and no accepted write has to be
// waited for. The fixtures are moderated by running the queue by hand.
@Property(name = "parley.pipeline.workers-enabled", value = "false")
@Property(name = "parley.moderation.rescan-interval", value = "1h")
@Property(name = "parley.reindex.sweep-interval", value = "1h")
// Hundreds of registrations and logins: a cheap hash keeps them from dominating the run.
@Property(name = "parley.auth.argon2-memory-kib", value = "1024")
@Property(name = "parley.auth.argon2-iterations", value = "1")
class HostileInputTest extends ApiTest {

    private static final Logger LOG = LoggerFactory.getLogger(HostileInputTest.class);
    /** Fewer than this means routes or corpus went missing. */
    private static final int FLOOR = 3_000;
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/?]+)}");
    private static final List<String> FREE_TEXT = List.of("title", "body", "name", "description");
    private static final String[] LEAKS = {"Exception", "dev.parley", "io.micronaut", "java.", "SQL", "postgres",
            "at [Source", "com.fasterxml"};

    @Inject
    Router router;
    @Inject
    WorkerPools pools;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new ArrayList<>();
    private final List<String> accepted = new ArrayList<>();
    private final Map<String, Integer> statuses = new java.util.TreeMap<>();
    private int sent;
    private TableCounts tables;
    private Fixtures f;

    /** What the probes need to exist: users, a category, a thread with posts, a review item. */
    private record Fixtures(Api.User member, String memberPassword, String admin, String slug, long threadId,
                            long adminPost, long memberPost, long sacrificialPost, long reviewItem,
                            String throwaway) {
    }

    /** One request: where, as whom, with what, and for a JSON object body, the object sent. */
    private record Probe(String label, String method, String path, String token, byte[] body, String contentType,
                         Map<String, String> headers, Object sentObject) {
    }

    private record Route(String method, String template, List<String> queryNames, boolean takesBody) {
        String key() {
            return method + " " + template;
        }
    }

    @Test
    void everyEndpointAnswersHostileRequestsWithClientErrorsAndRefusedOnesWriteNothing() {
        f = fixtures();
        tables = new TableCounts(db);
        String originalPolicy = api.get("/api/moderation/policy", f.admin()).expect(200).body();
        String originalRules = api.get("/api/moderation/rules", f.admin()).expect(200).body();
        List<Route> routes = routes();
        try {
            for (Route route : routes) {
                for (Probe probe : probesFor(route)) {
                    run(probe);
                }
            }
            rawSocketProbes().forEach(this::runRaw);
        } finally {
            tables.close();
            api.put("/api/moderation/policy", f.admin(), originalPolicy).expect(200);
            api.put("/api/moderation/rules", f.admin(), originalRules).expect(200);
            db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
        }
        String summary = "hostile input: " + sent + " requests to " + routes.size() + " routes, statuses " + statuses;
        LOG.info(summary);
        System.out.println(summary);
        writeReport(routes);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        assertTrue(sent >= FLOOR, "only " + sent + " requests were tried");
    }

    // ---- the corpus, per route -------------------------------------------------------------------

    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        router.uriRoutes().forEach(info -> {
            Route route = describe(info);
            // HEAD runs the GET route without a body to judge; the GET probes cover it.
            if (!route.method().equals("HEAD") && seen.add(route.key())) {
                routes.add(route);
            }
        });
        routes.sort(java.util.Comparator.comparing(Route::key));
        assertTrue(routes.size() >= 40, "the router lists only " + routes.size() + " routes");
        return routes;
    }

    private static Route describe(UriRouteInfo<?, ?> info) {
        List<String> queryNames = new ArrayList<>();
        boolean body = false;
        for (Argument<?> argument : info.getTargetMethod().getArguments()) {
            if (argument.getAnnotationMetadata().hasAnnotation(QueryValue.class)) {
                queryNames.add(argument.getName());
            }
            body |= argument.getAnnotationMetadata().hasAnnotation(Body.class);
        }
        HttpMethod method = info.getHttpMethod();
        body |= method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        return new Route(info.getHttpMethodName(), info.getUriMatchTemplate().toString(), queryNames, body);
    }

    private List<Probe> probesFor(Route route) {
        List<Probe> probes = new ArrayList<>();
        // Logout ends the session of its token: it gets sessions of its own, so the others stay signed in.
        boolean endsSessions = route.key().equals("POST /api/auth/logout");
        String member = endsSessions ? api.login(f.member().username(), f.memberPassword()) : f.member().token();
        String admin = endsSessions ? api.adminToken() : f.admin();
        String[] roles = {null, member, admin};
        String[] adminOnly = {admin};
        String goodPath = substitute(route, null, null);
        Supplier<Object> template = template(route);

        // Every path variable, in turn, gets every hostile value; the others stay valid.
        Matcher variables = VARIABLE.matcher(route.template());
        while (variables.find()) {
            String variable = variables.group(1);
            List<String> values = HostileCorpus.pathValues();
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                String path = substitute(route, variable, value);
                // Every value as the admin, who passes every role check; a sample also as member and anonymous.
                for (String token : i % 4 == 0 ? roles : adminOnly) {
                    probes.add(probe(route, "path " + variable + "=" + abbreviate(value), path, token, template));
                }
            }
        }
        // Every query parameter the route reads, and a few it does not, get every hostile value.
        List<String> queryNames = new ArrayList<>(route.queryNames());
        if (route.method().equals("GET")) {
            queryNames.add("limit");
            queryNames.add("cursor");
        }
        for (String name : new java.util.LinkedHashSet<>(queryNames)) {
            for (String value : HostileCorpus.queryValues()) {
                String path = goodPath + "?" + name + "=" + value;
                probes.add(probe(route, "query " + name + "=" + abbreviate(value), path, admin, template));
            }
            probes.add(probe(route, "query " + name + " twice", goodPath + "?" + name + "=1&" + name + "=2",
                    admin, template));
        }
        if (route.takesBody()) {
            List<Named<byte[]>> bodies = HostileCorpus.bodies();
            for (int i = 0; i < bodies.size(); i++) {
                Named<byte[]> body = bodies.get(i);
                for (String token : i % 6 == 0 ? roles : adminOnly) {
                    probes.add(new Probe(route.key() + " body " + body.name(), route.method(), goodPath, token,
                            body.value(), "application/json", Map.of(), null));
                }
            }
            byte[] good = HostileCorpus.json(template.get()).getBytes(StandardCharsets.UTF_8);
            for (String type : new String[]{null, "text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1",
                    "application/json; charset=bogus", "application/vnd.evil+json", "*/*", "application/json, text/plain",
                    "\u00e9/\u00e9"}) {
                probes.add(new Probe(route.key() + " content-type " + type, route.method(), goodPath, admin, good,
                        type, Map.of(), null));
            }
            Object valid = template.get();
            for (Named<String> text : HostileCorpus.texts()) {
                for (Named<Object> copy : HostileCorpus.replacingEachLeaf(valid, text.value(), true)) {
                    Object body = freshen(route, copy.value());
                    probes.add(new Probe(route.key() + " " + copy.name() + "=" + text.name(), route.method(), goodPath,
                            tokenFor(route), HostileCorpus.json(body).getBytes(StandardCharsets.UTF_8),
                            "application/json", Map.of(), body));
                }
            }
            for (Named<Object> wrong : HostileCorpus.wrongValues()) {
                for (Named<Object> copy : HostileCorpus.replacingEachLeaf(valid, wrong.value(), false)) {
                    Object body = freshen(route, copy.value());
                    probes.add(new Probe(route.key() + " " + copy.name() + "=" + wrong.name(), route.method(), goodPath,
                            tokenFor(route), HostileCorpus.json(body).getBytes(StandardCharsets.UTF_8),
                            "application/json", Map.of(), body));
                }
            }
        }
        for (Map.Entry<String, String> header : hostileHeaders().entrySet()) {
            probes.add(new Probe(route.key() + " header " + header.getKey() + ": " + abbreviate(header.getValue()),
                    route.method(), goodPath, null, route.takesBody()
                    ? HostileCorpus.json(template.get()).getBytes(StandardCharsets.UTF_8) : null,
                    "application/json", Map.of(header.getKey(), header.getValue()), null));
        }
        return probes;
    }

    private Probe probe(Route route, String label, String path, String token, Supplier<Object> template) {
        Object body = route.takesBody() ? template.get() : null;
        return new Probe(route.key() + " " + label, route.method(), path, token,
                body == null ? null : HostileCorpus.json(body).getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of(), body);
    }

    /** Headers a client may get wrong: broken tokens, odd schemes, unusable Accept values. */
    private Map<String, String> hostileHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        String token = f.member().token();
        String[] parts = token.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        headers.put("Authorization", "Bearer");
        headers.put("authorization", "Bearer " + token + "x");
        headers.put("AUTHORIZATION", "Basic cm9vdDpyb290LXBhc3N3b3JkLWZvci10ZXN0cw==");
        headers.put("Authorization ", "Bearer " + none);
        headers.put("Authorization  ", "Bearer a.b.c");
        headers.put("Authorization   ", "Bearer " + "A".repeat(6_000));
        headers.put("Authorization    ", "bearer\t" + token + " trailing");
        headers.put("Accept", "text/html");
        headers.put("Accept-Charset", "utf-7");
        headers.put("X-Forwarded-For", "' OR 1=1 --, 999.999.999.999");
        return headers;
    }

    private String tokenFor(Route route) {
        // The author of the fixture posts edits them; everything else is tried as the admin, who may reach
        // the deepest validation of every route.
        return route.template().startsWith("/api/auth") ? null : f.admin();
    }

    /** The valid path: every variable replaced by a value that exists, except {@code variable}. */
    private String substitute(Route route, String variable, String value) {
        Matcher m = VARIABLE.matcher(route.template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(name.equals(variable) ? value : good(route, name)));
        }
        m.appendTail(out);
        // Optional query or fragment parts of a template ({?x}) are dropped: queries are added separately.
        return out.toString().replaceAll("\\{\\?[^}]*}", "");
    }

    private String good(Route route, String variable) {
        String t = route.template();
        if (t.startsWith("/api/threads/")) {
            return String.valueOf(f.threadId());
        }
        if (t.startsWith("/api/posts/")) {
            if (route.method().equals("DELETE") && t.equals("/api/posts/{id}")) {
                return String.valueOf(f.sacrificialPost());
            }
            return String.valueOf(t.endsWith("/vote") || t.endsWith("/report") ? f.memberPost() : f.adminPost());
        }
        if (t.startsWith("/api/moderation/queue/")) {
            return String.valueOf(f.reviewItem());
        }
        if (t.startsWith("/api/admin/users/")) {
            return f.throwaway();
        }
        if (t.startsWith("/api/categories/")) {
            return f.slug();
        }
        return variable.equals("username") ? f.throwaway() : "1";
    }

    /** A valid body for the routes this test knows; others get an empty object and the generic corpus. */
    private Supplier<Object> template(Route route) {
        return switch (route.key()) {
            case "POST /api/auth/register" -> () -> {
                String name = Api.unique("hostile");
                return map("username", name, "email", name + "@example.com", "password", "long enough password");
            };
            case "POST /api/auth/login" -> () -> map("username", f.member().username(), "password", f.memberPassword());
            case "POST /api/categories" -> () -> map("slug", Api.unique("hc").toLowerCase(), "name", "Hostile category",
                    "description", "About hostile input");
            case "POST /api/threads" -> () -> map("category", f.slug(), "title", "A hostile title", "body", "A hostile body");
            case "PATCH /api/threads/{id}" -> () -> map("title", "A changed title", "locked", false, "pinned", false);
            case "POST /api/threads/{id}/posts", "PATCH /api/posts/{id}" -> () -> map("body", "A hostile reply");
            case "PUT /api/posts/{id}/vote" -> () -> map("value", 1);
            case "POST /api/posts/{id}/report" -> () -> map("reason", "spam");
            case "PUT /api/admin/users/{username}/role" -> () -> map("role", "member");
            case "POST /api/admin/users/{username}/suspend" -> () -> map("reason", "testing");
            case "POST /api/moderation/queue/{id}/resolve" -> () -> map("action", "approve", "note", "fine");
            case "POST /api/moderation/queue/resolve" -> () -> map("ids", List.of(f.reviewItem()), "action", "reject",
                    "note", "fine");
            case "PUT /api/moderation/policy" -> () -> map("thresholds", Map.of("hate", map("flag", 0.5, "reject", 0.9)),
                    "categoryOverrides", Map.of(), "onProviderFailure", "flag");
            case "PUT /api/moderation/rules" -> () -> map("rules", List.of(map("pattern", "zqxjkv", "kind", "word",
                    "category", "harassment", "score", 0.9)));
            case "POST /api/admin/reindex" -> () -> map("scope", "stale", "maxPerSecond", 1000.0);
            default -> () -> map();
        };
    }

    /** Unique fields stay unique, so that a valid variant is not refused as a duplicate. */
    private Object freshen(Route route, Object body) {
        if (body instanceof Map<?, ?> m && route.key().equals("POST /api/auth/register")
                && m.get("username") instanceof String name && name.startsWith("hostile")) {
            Map<Object, Object> copy = new LinkedHashMap<>(m);
            String fresh = Api.unique("hostile");
            copy.put("username", fresh);
            if (m.get("email") instanceof String email && email.startsWith("hostile")) {
                copy.put("email", fresh + "@example.com");
            }
            return copy;
        }
        if (body instanceof Map<?, ?> m && route.key().equals("POST /api/categories")
                && m.get("slug") instanceof String slug && slug.startsWith("hc")) {
            Map<Object, Object> copy = new LinkedHashMap<>(m);
            copy.put("slug", Api.unique("hc").toLowerCase());
            return copy;
        }
        return body;
    }

    // ---- sending and judging -------------------------------------------------------------------

    private void run(Probe probe) {
        boolean write = !probe.method().equals("GET") && !probe.method().equals("HEAD");
        Map<String, Long> before = write ? tables.snapshot() : null;
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURI() + probe.path()))
                    .timeout(Duration.ofSeconds(30));
            if (probe.token() != null) {
                request.header("Authorization", "Bearer " + probe.token());
            }
            if (probe.body() != null && probe.contentType() != null) {
                request.header("Content-Type", probe.contentType());
            }
            probe.headers().forEach((name, value) -> request.header(name.trim(), value));
            request.method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(probe.body()));
            response = http.send(request.build(), HostileInputTest::bodyUnlessEventStream);
        } catch (IllegalArgumentException refusedByTheClient) {
            return;   // a header or URI the JDK will not send: the raw-socket probes cover those
        } catch (IOException e) {
            failures.add(probe.label() + ": no answer: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        sent++;
        int status = response.statusCode();
        statuses.merge(status / 100 + "xx", 1, Integer::sum);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 400 && status < 500) {
            checkProblem(probe.label(), status, contentType, response.body());
            if (write) {
                Map<String, String> changed = TableCounts.changes(before, tables.snapshot());
                if (!changed.isEmpty()) {
                    failures.add(probe.label() + ": refused with " + status + " but wrote " + changed);
                }
            }
        } else if (status >= 200 && status < 300) {
            if (write) {
                accepted.add(probe.label());
                roundTrip(probe, response);
                settle();
            }
        } else if (!(status >= 300 && status < 400 && probe.method().equals("GET")
                && response.headers().firstValue("Location").orElse("").startsWith("/"))) {
            // A redirect within the service (swagger-ui to its page) is fine; anything else is not.
            failures.add(probe.label() + ": answered " + status + " " + abbreviate(response.body()));
        }
    }

    /**
     * The body as text, except for an accepted server-sent event stream, which never ends: its headers
     * are the answer, and the connection is closed at once.
     */
    private static HttpResponse.BodySubscriber<String> bodyUnlessEventStream(HttpResponse.ResponseInfo info) {
        if (info.statusCode() == 200 && info.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(), stream -> {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // closing is all that is wanted
                }
                return "";
            });
        }
        return HttpResponse.BodyHandlers.ofString().apply(info);
    }

    private void checkProblem(String label, int status, String contentType, String body) {
        if (!contentType.startsWith("application/problem+json")) {
            failures.add(label + ": " + status + " with content type '" + contentType + "': " + abbreviate(body));
            return;
        }
        try {
            JsonNode problem = json.readValue(body, JsonNode.class);
            if (problem.get("status") == null || problem.get("status").getIntValue() != status
                    || problem.get("type") == null || problem.get("title") == null || problem.get("detail") == null) {
                failures.add(label + ": incomplete problem " + abbreviate(body));
            }
        } catch (IOException | RuntimeException e) {
            failures.add(label + ": problem body is not JSON: " + abbreviate(body));
        }
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                failures.add(label + ": problem leaks '" + leak + "': " + abbreviate(body));
            }
        }
    }

    /** Free text that was accepted comes back exactly as sent, in the answer and when read again. */
    private void roundTrip(Probe probe, HttpResponse<String> response) {
        if (!(probe.sentObject() instanceof Map<?, ?> sentMap) || response.body().isEmpty()) {
            return;
        }
        JsonNode answer;
        try {
            answer = json.readValue(response.body(), JsonNode.class);
        } catch (IOException e) {
            failures.add(probe.label() + ": 2xx body is not JSON: " + abbreviate(response.body()));
            return;
        }
        List<JsonNode> copies = new ArrayList<>(List.of(answer));
        if (answer.get("firstPost") != null) {
            copies.add(answer.get("firstPost"));
        }
        if (answer.get("threadId") != null) {
            copies.add(api.get("/api/posts/" + answer.get("id").getLongValue(), f.admin()).json());
        }
        if (answer.get("postCount") != null) {
            copies.add(api.get("/api/threads/" + answer.get("id").getLongValue(), f.admin()).json());
            copies.add(api.get("/api/posts/" + answer.get("firstPost").get("id").getLongValue(), f.admin()).json());
        }
        for (String field : FREE_TEXT) {
            if (!(sentMap.get(field) instanceof String sentText)) {
                continue;
            }
            for (JsonNode copy : copies) {
                JsonNode value = copy.get(field);
                // Categories trim surrounding whitespace on purpose; nothing else may change.
                if (value != null && value.isString() && !value.getStringValue().equals(sentText)
                        && !value.getStringValue().equals(sentText.strip())) {
                    failures.add(probe.label() + ": " + field + " came back as '" + abbreviate(value.getStringValue())
                            + "' for '" + abbreviate(sentText) + "'");
                }
            }
        }
    }

    /** After an accepted write: stop any reindex run it started, so that no run blocks the next. */
    private void settle() {
        db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
    }

    // ---- requests the JDK client will not send ---------------------------------------------------

    private record RawProbe(String label, byte[] request, boolean write) {
    }

    private List<RawProbe> rawSocketProbes() {
        String host = "Host: 127.0.0.1:" + server.getPort() + "\r\n";
        String member = "Authorization: Bearer " + f.member().token() + "\r\n";
        String json = "Content-Type: application/json\r\n";
        byte[] reply = "{\"body\":\"raw\"}".getBytes(StandardCharsets.UTF_8);
        String replyPath = "/api/threads/" + f.threadId() + "/posts";
        List<RawProbe> probes = new ArrayList<>();
        probes.add(raw("invalid UTF-8 in the path", latin("GET /api/categories/\u00c3\u0028 HTTP/1.1\r\n" + host + "\r\n"), false));
        probes.add(raw("raw UTF-8 in the path", utf8("GET /api/categories/\u202e\u00e9 HTTP/1.1\r\n" + host + "\r\n"), false));
        probes.add(raw("NUL byte in the path", latin("GET /api/threads/1\u0000 HTTP/1.1\r\n" + host + "\r\n"), false));
        probes.add(raw("space in the path", latin("GET /api/threads/1 2 HTTP/1.1\r\n" + host + "\r\n"), false));
        probes.add(raw("dot segments to an admin path", latin("GET /api/threads/1/../../admin/pipeline HTTP/1.1\r\n"
                + host + member + "\r\n"), false));
        probes.add(raw("encoded dot segments to an admin path", latin("GET /api/threads/%2e%2e/%2e%2e/admin/pipeline HTTP/1.1\r\n"
                + host + member + "\r\n"), false));
        probes.add(raw("double slash", latin("GET //api//categories HTTP/1.1\r\n" + host + "\r\n"), false));
        probes.add(raw("absolute-form target", latin("GET http://evil.example/api/categories HTTP/1.1\r\n" + host + "\r\n"), false));
        probes.add(raw("garbage request line", latin("HELLO\r\n\r\n"), false));
        probes.add(raw("unknown method", latin("BREW /api/categories HTTP/1.1\r\n" + host + "\r\n"), false));
        probes.add(raw("HTTP/1.0 without Host", latin("GET /api/categories HTTP/1.0\r\n\r\n"), false));
        probes.add(raw("HTTP/1.1 without Host", latin("GET /api/categories HTTP/1.1\r\n\r\n"), false));
        probes.add(raw("HTTP/9.9", latin("GET /api/categories HTTP/9.9\r\n" + host + "\r\n"), false));
        probes.add(raw("header without colon", latin("GET /api/categories HTTP/1.1\r\n" + host + "NoColonHere\r\n\r\n"), false));
        probes.add(raw("obsolete line folding", latin("GET /api/me HTTP/1.1\r\n" + host + "Authorization: Bearer\r\n "
                + f.member().token() + "\r\n\r\n"), false));
        probes.add(raw("invalid UTF-8 in a token", latin("GET /api/me HTTP/1.1\r\n" + host
                + "Authorization: Bearer \u00ff\u00fe\u00c3\u0028\r\n\r\n"), false));
        probes.add(raw("NUL in a token", latin("GET /api/me HTTP/1.1\r\n" + host + "Authorization: Bearer a\u0000b\r\n\r\n"), false));
        probes.add(raw("two different tokens", latin("GET /api/me HTTP/1.1\r\n" + host + member
                + "Authorization: Bearer " + f.admin() + "\r\n\r\n"), false));
        probes.add(raw("a 100 KB header", latin("GET /api/categories HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(100_000)
                + "\r\n\r\n"), false));
        StringBuilder many = new StringBuilder("GET /api/categories HTTP/1.1\r\n" + host);
        for (int i = 0; i < 2_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        probes.add(raw("2000 headers", latin(many + "\r\n"), false));
        probes.add(raw("contradicting Content-Length", RawHttp.request("POST " + replyPath + " HTTP/1.1\r\n" + host + member
                + json + "Content-Length: 5\r\nContent-Length: 14\r\n\r\n", reply), true));
        probes.add(raw("negative Content-Length", RawHttp.request("POST " + replyPath + " HTTP/1.1\r\n" + host + member
                + json + "Content-Length: -14\r\n\r\n", reply), true));
        probes.add(raw("non-numeric Content-Length", RawHttp.request("POST " + replyPath + " HTTP/1.1\r\n" + host + member
                + json + "Content-Length: fourteen\r\n\r\n", reply), true));
        probes.add(raw("Content-Length and chunked", RawHttp.request("POST " + replyPath + " HTTP/1.1\r\n" + host + member
                + json + "Content-Length: 14\r\nTransfer-Encoding: chunked\r\n\r\n", latin("e\r\n{\"body\":\"raw\"}\r\n0\r\n\r\n")), true));
        probes.add(raw("broken chunk size", RawHttp.request("POST " + replyPath + " HTTP/1.1\r\n" + host + member
                + json + "Transfer-Encoding: chunked\r\n\r\n", latin("zz\r\n{\"body\":\"raw\"}\r\n0\r\n\r\n")), true));
        probes.add(raw("two content types", RawHttp.request("POST " + replyPath + " HTTP/1.1\r\n" + host + member
                + json + "Content-Type: text/plain\r\nContent-Length: 14\r\n\r\n", reply), true));
        probes.add(raw("body shorter than declared", RawHttp.request("POST " + replyPath + " HTTP/1.1\r\n" + host + member
                + json + "Content-Length: 40\r\nConnection: close\r\n\r\n", reply), true));
        byte[] tenMegabytes = tenMegabyteBody();
        probes.add(raw("10 MB body with Content-Length", RawHttp.request("POST /api/threads HTTP/1.1\r\n" + host + member
                + json + "Content-Length: " + tenMegabytes.length + "\r\n\r\n", tenMegabytes), true));
        probes.add(raw("10 MB chunked body", RawHttp.request("POST /api/threads HTTP/1.1\r\n" + host + member + json
                + "Transfer-Encoding: chunked\r\n\r\n", chunked(tenMegabytes)), true));
        probes.add(raw("10 MB declared, little sent", RawHttp.request("POST /api/auth/register HTTP/1.1\r\n" + host + json
                + "Content-Length: 10485760\r\n\r\n", latin("{\"username\":")), true));
        return probes;
    }

    private void runRaw(RawProbe probe) {
        Map<String, Long> before = tables.snapshot();
        RawHttp.Answer answer = RawHttp.exchange("127.0.0.1", server.getPort(), probe.request());
        sent++;
        accepted.add("raw " + probe.label() + " -> " + answer.status());
        int status = answer.status();
        statuses.merge(status < 0 ? "closed" : status / 100 + "xx", 1, Integer::sum);
        if (status >= 500 || (status >= 300 && status < 400)) {
            failures.add("raw " + probe.label() + ": answered " + status + " " + abbreviate(answer.body()));
        } else if (status >= 400) {
            checkProblem("raw " + probe.label(), status, answer.header("content-type") == null ? ""
                    : answer.header("content-type"), answer.body());
        } else if (status >= 200 && probe.label().contains("admin path")) {
            failures.add("raw " + probe.label() + ": a member reached " + abbreviate(answer.body()));
        }
        if (status < 200 || status >= 300) {
            Map<String, String> changed = TableCounts.changes(before, tables.snapshot());
            if (!changed.isEmpty()) {
                failures.add("raw " + probe.label() + ": refused (" + status + ") but wrote " + changed);
            }
        } else if (probe.write()) {
            settle();
        }
    }

    private static RawProbe raw(String label, byte[] request, boolean write) {
        return new RawProbe(label, request, write);
    }

    private byte[] tenMegabyteBody() {
        String text = "{\"category\":\"" + f.slug() + "\",\"title\":\"Ten megabytes\",\"body\":\"" + "a".repeat(10 * 1024 * 1024)
                + "\"}";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunked(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length + 4096);
        for (int from = 0; from < body.length; from += 65_536) {
            int length = Math.min(65_536, body.length - from);
            out.writeBytes(latin(Integer.toHexString(length) + "\r\n"));
            out.write(body, from, length);
            out.writeBytes(latin("\r\n"));
        }
        out.writeBytes(latin("0\r\n\r\n"));
        return out.toByteArray();
    }

    private static byte[] latin(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private Fixtures fixtures() {
        String adminToken = api.adminToken();
        String password = "password-hostile-member";
        String name = Api.unique("hostilemember");
        api.post("/api/auth/register", null, map("username", name, "email", name + "@example.com", "password", password))
                .expect(201);
        Api.User member = new Api.User(0, name, api.login(name, password));
        String slug = api.category("hostile");
        JsonNode thread = api.post("/api/threads", adminToken, map("category", slug, "title", "Hostile fixtures",
                "body", "The admin's first post")).expect(201).json();
        long threadId = thread.get("id").getLongValue();
        long adminPost = thread.get("firstPost").get("id").getLongValue();
        moderateQueuedPosts();
        String replies = "/api/threads/" + threadId + "/posts";
        long memberPost = api.post(replies, member.token(), map("body", "The member's reply")).expect(201).id();
        long sacrificial = api.post(replies, adminToken, map("body", "A reply to be deleted")).expect(201).id();
        long reported = api.post(replies, member.token(), map("body", "A reply to report")).expect(201).id();
        moderateQueuedPosts();
        api.post("/api/posts/" + reported + "/report", adminToken, map("reason", "fixture")).expect(202);
        long item = -1;
        for (JsonNode candidate : api.get("/api/moderation/queue?limit=100&category=" + slug, adminToken).expect(200)
                .json().get("items").values()) {
            if (candidate.get("post").get("id").getLongValue() == reported) {
                item = candidate.get("id").getLongValue();
            }
        }
        assertTrue(item > 0, "the report opened a review item");
        String throwaway = api.register("throwaway").username();
        return new Fixtures(member, password, adminToken, slug, threadId, adminPost, memberPost, sacrificial, item,
                throwaway);
    }

    private void moderateQueuedPosts() {
        try (var pool = pools.create("hostile-fixtures")) {
            pool.runDue();
        }
    }

    /** Every route and every bad answer, for reading after a failure: target/hostile-input.txt. */
    private void writeReport(List<Route> routes) {
        List<String> lines = new ArrayList<>();
        routes.forEach(route -> lines.add("route " + route.key() + " query " + route.queryNames()));
        accepted.forEach(label -> lines.add("accepted " + label));
        lines.addAll(failures);
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("target", "hostile-input.txt"), lines);
        } catch (IOException e) {
            LOG.warn("cannot write target/hostile-input.txt: {}", e.toString());
        }
    }

    private static String abbreviate(String text) {
        String flat = text == null ? "null" : text.replace("\n", "\\n");
        return flat.length() > 160 ? flat.substring(0, 160) + "...(" + flat.length() + " chars)" : flat;
    }
}

package dev.parley.moderation;

import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.ActiveModels;
import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks every route that stores member-written text and proves the text reaches no anonymous
 * reader, category listing or keyword, semantic or hybrid search until moderation published it.
 * The routes come from the router: a write route that is in neither list below fails the first
 * test, so a new one cannot be forgotten. The workers run by hand, so "before moderation" is a
 * state the test holds, not a race; embeddings come from the fake provider (a bag of words), so a
 * search for a text's marker word finds exactly the posts that contain it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberTextRoutesTest extends FakeOpenAiApiTest {

    private static final String MODEL = "text-embedding-3-small@256";
    /** The fake scores this over the default policy's hate reject threshold (0.8). */
    private static final String REJECTED = "utterly hateful";

    /** Write routes that store no text the public sees, and why. */
    private static final Map<String, String> STORES_NO_PUBLIC_TEXT = new LinkedHashMap<>();

    static {
        STORES_NO_PUBLIC_TEXT.put("POST /api/auth/login", "credentials, never shown");
        STORES_NO_PUBLIC_TEXT.put("POST /api/auth/refresh", "a token, never shown");
        STORES_NO_PUBLIC_TEXT.put("POST /api/auth/logout", "a token, never shown");
        STORES_NO_PUBLIC_TEXT.put("PUT /api/me/password", "a password, stored only as its hash");
        STORES_NO_PUBLIC_TEXT.put("PUT /api/admin/users/{username}/role", "a role from a fixed set; admins only");
        STORES_NO_PUBLIC_TEXT.put("POST /api/admin/users/{username}/suspend",
                "the reason is written by staff and shown to staff only");
        STORES_NO_PUBLIC_TEXT.put("POST /api/categories", "written by an admin, not by a member");
        STORES_NO_PUBLIC_TEXT.put("PUT /api/posts/{id}/vote", "a number");
        STORES_NO_PUBLIC_TEXT.put("POST /api/posts/{id}/report",
                "the reason is shown to moderators only, in the review queue and the audit");
        STORES_NO_PUBLIC_TEXT.put("POST /api/moderation/queue/{id}/claim", "no text");
        STORES_NO_PUBLIC_TEXT.put("POST /api/moderation/queue/{id}/resolve", "the note is written by and for staff");
        STORES_NO_PUBLIC_TEXT.put("POST /api/moderation/queue/resolve", "the note is written by and for staff");
        STORES_NO_PUBLIC_TEXT.put("PUT /api/moderation/policy", "admin configuration");
        STORES_NO_PUBLIC_TEXT.put("PUT /api/moderation/rules", "admin configuration, shown to staff only");
        STORES_NO_PUBLIC_TEXT.put("POST /api/moderation/policy/preview", "stores nothing");
        STORES_NO_PUBLIC_TEXT.put("POST /api/admin/pipeline/dead/{id}/retry", "no text");
        STORES_NO_PUBLIC_TEXT.put("POST /api/admin/reindex", "admin configuration");
        STORES_NO_PUBLIC_TEXT.put("POST /api/posts/{id}/appeal",
                "the appeal message is shown to moderators and the author only");
        STORES_NO_PUBLIC_TEXT.put("PUT /api/admin/users/{username}/trust-level", "a number; staff only");
        STORES_NO_PUBLIC_TEXT.put("POST /api/admin/webhooks", "admin configuration, shown to admins only");
        STORES_NO_PUBLIC_TEXT.put("PATCH /api/admin/webhooks/{id}", "admin configuration, shown to admins only");
        STORES_NO_PUBLIC_TEXT.put("POST /api/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver", "no text");
    }

    /** Where the public could come across a text. */
    enum Probe { THREAD_PAGE, THREAD_POSTS, LISTING, KEYWORD_SEARCH, SEMANTIC_SEARCH, HYBRID_SEARCH }

    private static final Set<Probe> EVERYWHERE = EnumSet.allOf(Probe.class);
    private static final Set<Probe> POST_BODY = EnumSet.of(Probe.THREAD_POSTS, Probe.KEYWORD_SEARCH,
            Probe.SEMANTIC_SEARCH, Probe.HYBRID_SEARCH);
    private static final Set<Probe> TITLE = EnumSet.of(Probe.THREAD_PAGE, Probe.LISTING, Probe.KEYWORD_SEARCH,
            Probe.SEMANTIC_SEARCH, Probe.HYBRID_SEARCH);
    private static final Set<Probe> AUTHOR_NAME = EnumSet.of(Probe.THREAD_PAGE, Probe.THREAD_POSTS);

    /**
     * A route that stores member text: {@code store} sends {@code text} through it and returns the
     * thread where it would show (0: none), after preparing whatever the route needs.
     */
    record Route(Set<Probe> shownBy, Store store) {
    }

    @FunctionalInterface
    interface Store {
        long store(String text);
    }

    @Inject
    Router router;
    @Inject
    WorkerPools pools;

    private final Random random = new Random(14);
    private User author;
    private String slug;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.embedding.provider", "openai",
                "parley.embedding.model", "text-embedding-3-small",
                "parley.embedding.dimensions", "256",
                "parley.pipeline.workers-enabled", "false");
    }

    @BeforeEach
    void setUp() {
        ActiveModels.set(db, MODEL);
        openai.reset();
        openai.scoreWhenContains(REJECTED, "hate", 0.95);
        api.put("/api/moderation/policy", api.adminToken(), ModerationApiTest.defaultPolicy()).expect(200);
        author = api.register("writer");
        slug = api.category("walk");
    }

    @AfterEach
    void backToTheLocalModel() {
        runJobs();
        ActiveModels.set(db, ActiveModels.LOCAL);
    }

    /** Every route that stores member text, with how to send a text through it. */
    private Map<String, Route> storesPublicText() {
        Map<String, Route> routes = new LinkedHashMap<>();
        routes.put("POST /api/auth/register", new Route(AUTHOR_NAME, text -> {
            String username = text.replace(' ', '_');
            Api.Res res = api.post("/api/auth/register", null,
                    map("username", username, "email", username + "@example.com", "password", "long enough password"));
            if (res.status() == 422) {
                res.expectInvalid("username");
                assertEquals(0, db.count("SELECT count(*) FROM users WHERE lower(username) = lower(?)", username));
                return 0;
            }
            res.expect(201);
            String token = api.login(username, "long enough password");
            return api.post("/api/threads", token, map("category", slug, "title", "Hello from a new member",
                    "body", "Glad to be here.")).expect(201).id();
        }));
        routes.put("POST /api/threads", new Route(EVERYWHERE, text -> api.post("/api/threads", author.token(),
                map("category", slug, "title", text, "body", "About " + text)).expect(201).id()));
        routes.put("PATCH /api/threads/{id}", new Route(TITLE, text -> {
            long threadId = publishedThread();
            api.patch("/api/threads/" + threadId, author.token(), map("title", text)).expect(200);
            return threadId;
        }));
        routes.put("POST /api/threads/{id}/posts", new Route(POST_BODY, text -> {
            long threadId = publishedThread();
            api.post("/api/threads/" + threadId + "/posts", author.token(), map("body", text)).expect(201);
            return threadId;
        }));
        routes.put("PATCH /api/posts/{id}", new Route(POST_BODY, text -> {
            long threadId = publishedThread();
            long replyId = api.post("/api/threads/" + threadId + "/posts", author.token(),
                    map("body", "A plain first draft")).expect(201).id();
            runJobs();
            api.patch("/api/posts/" + replyId, author.token(), map("body", text)).expect(200);
            return threadId;
        }));
        return routes;
    }

    @Test
    void everyWriteRouteIsClassifiedAsStoringPublicMemberTextOrNot() {
        TreeSet<String> served = new TreeSet<>();
        router.uriRoutes().map(r -> r.getHttpMethodName() + " " + r.getUriMatchTemplate().toString())
                .filter(k -> k.split(" ")[1].startsWith("/api/"))
                .filter(k -> k.startsWith("POST ") || k.startsWith("PUT ") || k.startsWith("PATCH "))
                .forEach(served::add);
        Set<String> classified = new TreeSet<>(STORES_NO_PUBLIC_TEXT.keySet());
        classified.addAll(storesPublicText().keySet());
        TreeSet<String> unclassified = new TreeSet<>(served);
        unclassified.removeAll(classified);
        assertTrue(unclassified.isEmpty(), "write routes neither tested here nor said to store no public text: "
                + unclassified);
        TreeSet<String> stale = new TreeSet<>(classified);
        stale.removeAll(served);
        assertTrue(stale.isEmpty(), "classified routes that do not exist: " + stale);
        storesPublicText().keySet().forEach(route -> assertFalse(STORES_NO_PUBLIC_TEXT.containsKey(route), route));
    }

    @Test
    void textTheProviderScoresOverTheRejectThresholdNeverShowsThroughAnyRoute() {
        List<String> leaks = new ArrayList<>();
        storesPublicText().forEach((route, how) -> {
            String marker = marker();
            long threadId = how.store().store(REJECTED + " " + marker);
            leaks.addAll(seenBy(EVERYWHERE, threadId, marker, route + ", before moderation"));
            runJobs();
            leaks.addAll(seenBy(EVERYWHERE, threadId, marker, route + ", after moderation"));
        });
        assertEquals(List.of(), leaks);
    }

    @Test
    void cleanTextThroughEveryRouteShowsOnlyOnceModerationPublishedIt() {
        List<String> problems = new ArrayList<>();
        storesPublicText().forEach((route, how) -> {
            String marker = marker();
            long threadId = how.store().store("pleasant " + marker);
            problems.addAll(seenBy(EVERYWHERE, threadId, marker, route + ", before moderation"));
            runJobs();
            Set<Probe> seen = EnumSet.noneOf(Probe.class);
            for (Probe probe : Probe.values()) {
                if (read(probe, threadId, marker).contains(marker)) {
                    seen.add(probe);
                }
            }
            if (!seen.containsAll(how.shownBy())) {
                problems.add(route + ": published text expected in " + how.shownBy() + ", found in " + seen);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void aTitleEditIsScoredInTheSameProviderRequestAsPosts() {
        long threadId = publishedThread();
        String title = "Batched title " + marker();
        String reply = "Batched reply " + marker();
        api.patch("/api/threads/" + threadId, author.token(), map("title", title)).expect(200);
        api.post("/api/threads/" + threadId + "/posts", author.token(), map("body", reply)).expect(201);
        openai.resetCounters();
        runJobs();
        List<List<String>> batches = openai.moderationBatches();
        assertTrue(batches.stream().anyMatch(batch -> batch.contains(title) && batch.contains(reply)),
                "one request scores the edited title alone and the reply: " + batches);
    }

    /** The probes (of {@code probes}) whose anonymous answer contains the marker, described. */
    private List<String> seenBy(Set<Probe> probes, long threadId, String marker, String when) {
        List<String> found = new ArrayList<>();
        for (Probe probe : probes) {
            if (read(probe, threadId, marker).contains(marker)) {
                found.add(when + ": " + probe + " shows \"" + marker + "\"");
            }
        }
        return found;
    }

    /** What an anonymous reader gets from a probe, lower-cased ("" for a thread that does not exist). */
    private String read(Probe probe, long threadId, String marker) {
        String path = switch (probe) {
            case THREAD_PAGE -> threadId == 0 ? null : "/api/threads/" + threadId;
            case THREAD_POSTS -> threadId == 0 ? null : "/api/threads/" + threadId + "/posts?limit=100";
            case LISTING -> "/api/categories/" + slug + "/threads?limit=100";
            case KEYWORD_SEARCH -> "/api/search?mode=keyword&limit=50&category=" + slug + "&q=" + marker;
            case SEMANTIC_SEARCH -> "/api/search?mode=semantic&limit=50&category=" + slug + "&q=" + marker;
            case HYBRID_SEARCH -> "/api/search?mode=hybrid&limit=50&category=" + slug + "&q=" + marker;
        };
        if (path == null) {
            return "";
        }
        Api.Res res = api.get(path, null);
        assertTrue(res.status() == 200 || res.status() == 404, path + ": " + res.status() + " " + res.body());
        String shown = res.body();
        if (res.status() == 200 && path.startsWith("/api/search")) {
            // Search echoes the query: only its results count.
            try {
                shown = json.writeValueAsString(res.json().get("results"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return shown.toLowerCase(Locale.ROOT);
    }

    private long publishedThread() {
        long threadId = api.post("/api/threads", author.token(), map("category", slug, "title", "A plain thread",
                "body", "A plain opening post")).expect(201).id();
        runJobs();
        assertEquals(200, api.get("/api/threads/" + threadId, null).status(), "the plain thread was published");
        return threadId;
    }

    /** A word no other text contains, so that search for it finds only the text under test. */
    private String marker() {
        StringBuilder word = new StringBuilder("zq");
        for (int i = 0; i < 10; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    /** Runs every due job (moderation, then the embeddings publication queues) until none is left. */
    private void runJobs() {
        try (WorkerPool pool = pools.create("member-text-routes")) {
            while (pool.runDue() > 0) {
                // moderation first, then what it queued
            }
        }
    }
}

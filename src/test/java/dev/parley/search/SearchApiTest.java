package dev.parley.search;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search over HTTP with the local embedding model, each test in a category of its own. */
@MicronautTest(transactional = false)
class SearchApiTest extends ApiTest {

    User author;
    String slug;
    long firstJob;

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        author = api.register("writer");
        slug = api.category("search");
    }

    @Test
    void aParaphraseIsFoundByMeaningButNotByKeyword() {
        long password = thread("Resetting a forgotten password",
                "I can't log in because I forgot my password. How do I reset it?");
        thread("Sourdough starter feeding", "My bread dough does not rise. Which flour should I feed the starter?");
        thread("Tuning PostgreSQL autovacuum", "Autovacuum runs too often on our biggest tables during the day.");
        awaitIndexed();
        String paraphrase = "unable to sign into my account, lost my credentials";

        assertEquals(password, threadIds(search(paraphrase, "semantic")).get(0));
        assertEquals(password, threadIds(search(paraphrase, "hybrid")).get(0));
        assertEquals(List.of(), threadIds(search(paraphrase, "keyword")));
    }

    @Test
    void anExactRareTermIsFoundByKeywordAndHybrid() {
        long brewing = thread("Home brewing questions", "Is zymurgy a hobby or a science? My mash temperature drifts.");
        thread("Gardening in spring", "When should I plant tomatoes outside?");
        awaitIndexed();
        assertEquals(List.of(brewing), threadIds(search("zymurgy", "keyword")));
        assertEquals(brewing, threadIds(search("zymurgy", "hybrid")).get(0));
        JsonNode hit = search("zymurgy", "keyword").get(0);
        assertTrue(hit.get("post").get("snippet").getStringValue().toLowerCase().contains("zymurgy"));
        assertTrue(hit.get("score").getDoubleValue() > 0);
    }

    @Test
    void theCategoryFilterKeepsOtherCategoriesOut() {
        String other = api.category("other");
        long here = thread("Password reset emails never arrive", "The reset email does not come.");
        long there = api.thread(author, other, "Password reset emails are slow", "The reset email is late.")
                .get("id").getLongValue();
        awaitIndexed();
        for (String mode : new String[]{"semantic", "keyword", "hybrid"}) {
            List<Long> ids = threadIds(search("password reset email", mode));
            assertEquals(List.of(here), ids, mode);
            assertFalse(ids.contains(there));
        }
    }

    @Test
    void flaggedRejectedAndDeletedPostsNeverAppear() {
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of(
                Map.of("pattern", "quarantined", "kind", "word", "category", "harassment", "score", 0.6),
                Map.of("pattern", "obliterated", "kind", "word", "category", "harassment", "score", 0.95))))
                .expect(200);
        try {
            long visible = thread("Telescope eyepieces", "Which eyepiece for watching Saturn's rings?");
            long flagged = api.post("/api/threads", author.token(), Map.of("category", slug,
                    "title", "Saturn rings quarantined", "body", "quarantined telescope eyepiece talk"))
                    .expect(201).json().get("firstPost").get("id").getLongValue();
            long rejected = api.post("/api/threads/" + visible + "/posts", author.token(),
                    Map.of("body", "obliterated telescope eyepiece rant")).expect(201).id();
            long deleted = api.reply(author, visible, "A Barlow lens doubles the eyepiece magnification of Saturn")
                    .get("id").getLongValue();
            api.awaitModerated(flagged, author.token(), "flagged");
            api.awaitModerated(rejected, author.token(), "rejected");
            awaitIndexed();
            assertTrue(postIds(search("Barlow lens magnification", "keyword")).contains(deleted));
            api.delete("/api/posts/" + deleted, author.token()).expect(204);

            for (String mode : new String[]{"semantic", "keyword", "hybrid"}) {
                List<Long> posts = new ArrayList<>();
                for (String q : new String[]{"quarantined", "obliterated", "Barlow lens magnification",
                        "telescope eyepiece Saturn"}) {
                    posts.addAll(postIds(search(q, mode)));
                }
                assertFalse(posts.contains(flagged), mode + " shows a flagged post");
                assertFalse(posts.contains(rejected), mode + " shows a rejected post");
                assertFalse(posts.contains(deleted), mode + " shows a deleted post");
            }
        } finally {
            api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of())).expect(200);
        }
    }

    @Test
    void theEndOfALongPostIsFindable() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            body.append("The morning train was late again because of signal maintenance near the river bridge. ");
        }
        body.append("Finally, about cooking. The secret ingredient of my grandmother's goulash is smoked paprika. "
                + "She fries it slowly with onions and caraway, adds the beef, and lets the stew simmer for three "
                + "hours. Every family recipe for goulash differs, but the paprika makes hers special, sweet and "
                + "smoky at once.");
        long longThread = thread("Commuting diary", body.toString());
        thread("Resetting a forgotten password", "I forgot my password and cannot log in.");
        awaitIndexed();
        assertTrue(db.count("SELECT count(*) FROM post_embeddings e JOIN posts p ON p.id = e.post_id"
                + " WHERE p.thread_id = ?", longThread) > 3, "a long post is embedded in several chunks");
        assertEquals(longThread, threadIds(search("which spice makes grandma's beef stew special", "semantic")).get(0));
        assertEquals(List.of(longThread), threadIds(search("paprika", "keyword")));
    }

    @Test
    void anEditedPostIsFoundByItsNewTextAndNotItsOld() {
        long thread = thread("My weekend hobby", "I paddle my kayak on the lake every Saturday.");
        awaitIndexed();
        assertEquals(List.of(thread), threadIds(search("kayak", "keyword")));
        long postId = api.get("/api/threads/" + thread, null).json().get("firstPost").get("id").getLongValue();
        api.patch("/api/posts/" + postId, author.token(), Map.of("body", "I observe Jupiter with my telescope."))
                .expect(200);
        api.awaitModerated(postId, author.token(), "published");
        awaitIndexed();
        assertEquals(List.of(), threadIds(search("kayak", "keyword")));
        assertEquals(List.of(thread), threadIds(search("telescope", "keyword")));
        assertEquals(thread, threadIds(search("astronomy and planets", "semantic")).get(0));
    }

    @Test
    void relatedThreadsAreTheNearestOthers() {
        long a = thread("Forgot my password", "How can I reset my password? I cannot log in.");
        long b = thread("Password reset link expired", "The link to reset my password has expired.");
        long sourdough = thread("Sourdough hydration", "How wet should sourdough dough be?");
        awaitIndexed();
        // Related threads span every category, so other tests' threads take part too.
        JsonNode related = api.get("/api/threads/" + a + "/related?limit=50", null).expect(200).json().get("results");
        List<Long> ids = new ArrayList<>();
        related.values().forEach(r -> ids.add(r.get("thread").get("id").getLongValue()));
        assertFalse(ids.contains(a), "a thread is not related to itself");
        assertTrue(ids.contains(b), "the other password thread is related: " + ids);
        assertTrue(!ids.contains(sourdough) || ids.indexOf(b) < ids.indexOf(sourdough));
        api.get("/api/threads/999999999/related", null).expectProblem(404);
        api.get("/api/threads/" + a + "/related?limit=51", null).expectInvalid("limit");
    }

    @Test
    void badQueriesAreRefused() {
        api.get("/api/search", null).expectInvalid("q");
        api.get("/api/search?q=%20", null).expectInvalid("q");
        api.get("/api/search?q=x&mode=fuzzy", null).expectInvalid("mode");
        api.get("/api/search?q=x&limit=0", null).expectInvalid("limit");
        api.get("/api/search?q=x&limit=51", null).expectInvalid("limit");
        api.get("/api/search?q=" + "x".repeat(501), null).expectInvalid("q");
        String injection = "' OR 1=1; DROP TABLE posts; --";
        var ok = api.get("/api/search?q=" + enc(injection) + "&mode=keyword", null).expect(200).json();
        assertEquals(injection, ok.get("query").getStringValue(), "searched for as text");
        assertEquals("keyword", ok.get("mode").getStringValue());
        assertTrue(ok.get("tookMs").isNumber(), "tookMs in " + ok);
        assertEquals("posts", db.value("SELECT to_regclass('posts')::text"), "the posts table is still there");
    }

    private long thread(String title, String body) {
        return api.thread(author, slug, title, body).get("id").getLongValue();
    }

    private List<JsonNode> search(String q, String mode) {
        List<JsonNode> results = new ArrayList<>();
        api.get("/api/search?q=" + enc(q) + "&mode=" + mode + "&category=" + slug, null).expect(200).json()
                .get("results").values().forEach(results::add);
        return results;
    }

    private static List<Long> threadIds(List<JsonNode> results) {
        return results.stream().map(r -> r.get("thread").get("id").getLongValue()).toList();
    }

    private static List<Long> postIds(List<JsonNode> results) {
        return results.stream().map(r -> r.get("post").get("id").getLongValue()).toList();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Waits until this test's posts are moderated and embedded. */
    private void awaitIndexed() {
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
    }
}

package dev.parley.reliability;

import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.HostileCorpus;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bugs the hostile-input corpus found, pinned one by one: text PostgreSQL cannot keep exactly (NUL,
 * unpaired surrogates sent as JSON escapes) is a 422 naming the field, not a 500 or a silent '?'.
 */
@MicronautTest(transactional = false)
// Any free port: 8080 may be taken by a service running on this machine.
@Property(name = "micronaut.server.port", value = "-1")
class UnstorableTextTest extends ApiTest {

    private static final String LONE_SURROGATE = "broken \uD800 pair";

    @Test
    void aPasswordWithAnUnpairedSurrogateIsRefusedAtRegistrationAndNeverMatchesAtLogin() {
        String name = Api.unique("surrogate");
        api.post("/api/auth/register", null, json(map("username", name, "email", name + "@example.com",
                "password", "long enough " + LONE_SURROGATE))).expectInvalid("password");
        assertEquals(0, db.count("SELECT count(*) FROM users WHERE username = ?", name));
        var user = api.register("surrogate");
        api.post("/api/auth/login", null, json(map("username", user.username(), "password", LONE_SURROGATE)))
                .expectProblem(401);
        api.post("/api/auth/login", null, json(map("username", "nobody-" + name, "password", LONE_SURROGATE)))
                .expectProblem(401);
    }

    @Test
    void titlesBodiesAndCategoryNamesWithUnpairedSurrogatesAreRefusedNotMangled() {
        var author = api.register("surrogate");
        String slug = api.category("surrogate");
        long threads = db.count("SELECT count(*) FROM threads");
        api.post("/api/threads", author.token(), json(map("category", slug, "title", LONE_SURROGATE, "body", "fine")))
                .expectInvalid("title");
        api.post("/api/threads", author.token(), json(map("category", slug, "title", "Fine title", "body", "a\uDC00b")))
                .expectInvalid("body");
        assertEquals(threads, db.count("SELECT count(*) FROM threads"));
        long threadId = api.post("/api/threads", author.token(), map("category", slug, "title", "Fine title",
                "body", "fine")).expect(201).id();
        api.patch("/api/threads/" + threadId, author.token(), json(map("title", "x\uD800y title")))
                .expectInvalid("title");
        assertEquals("Fine title", db.value("SELECT title FROM threads WHERE id = ?", threadId));
        api.post("/api/categories", api.adminToken(), json(map("slug", Api.unique("s").toLowerCase(),
                "name", LONE_SURROGATE))).expectInvalid("name");
    }

    @Test
    void aReportReasonOrReviewNoteWithNulIsRefusedAndWritesNothing() {
        var author = api.register("nul");
        var reporter = api.register("nul");
        long postId = api.thread(author, api.category("nul"), "Reported thread", "text").get("firstPost").get("id")
                .getLongValue();
        long audit = db.count("SELECT count(*) FROM moderation_audit");
        api.post("/api/posts/" + postId + "/report", reporter.token(), json(map("reason", "spam\u0000")))
                .expectInvalid("reason");
        assertEquals(0, db.count("SELECT count(*) FROM review_items WHERE post_id = ?", postId));
        assertEquals(audit, db.count("SELECT count(*) FROM moderation_audit"));

        api.post("/api/posts/" + postId + "/report", reporter.token(), map("reason", "spam")).expect(202);
        long item = (Long) db.value("SELECT id FROM review_items WHERE post_id = ?", postId);
        var moderator = api.withRole("nul", "moderator");
        api.post("/api/moderation/queue/" + item + "/resolve", moderator.token(),
                json(map("action", "approve", "note", "ok\u0000"))).expectInvalid("note");
        assertEquals("open", db.value("SELECT state FROM review_items WHERE id = ?", item));
    }

    /** The hand-written JSON of the corpus: it sends a lone surrogate as the escape a client would. */
    private static String json(Object value) {
        return HostileCorpus.json(value);
    }
}

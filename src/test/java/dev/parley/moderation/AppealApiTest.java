package dev.parley.moderation;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.FakeOpenAi.Failure;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statement of reasons, appeals and "human decisions stand" (issue 14), over HTTP with the fake
 * OpenAI scoring the posts.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppealApiTest extends FakeOpenAiApiTest {

    @Inject
    RescanSweep rescans;
    @Inject
    ModerationService moderation;
    @Inject
    TransactionOperations<Connection> transactions;

    User author;
    User moderator;
    User otherModerator;
    String slug;
    long firstJob;
    long policyVersion;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.moderation.max-attempts", "2",
                "parley.pipeline.backoff-base", "20ms",
                "parley.pipeline.backoff-max", "100ms");
    }

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        openai.reset();
        openai.scoreWhenContains("mildly rude", "harassment", 0.6);
        openai.scoreWhenContains("utterly hateful", "hate", 0.95);
        policyVersion = api.put("/api/moderation/policy", api.adminToken(), defaultPolicy("flag")).expect(200)
                .json().get("version").getLongValue();
        author = api.register("appellant");
        moderator = api.withRole("mod", "moderator");
        otherModerator = api.withRole("mod", "moderator");
        slug = api.category("appeal");
    }

    @AfterEach
    void awaitOwnJobs() {
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
    }

    @Test
    void theAuthorIsToldWhichThresholdsAnAutomatedRejectionCrossedUnderWhichPolicy() {
        long postId = newThreadPost("Something utterly hateful");
        JsonNode post = api.awaitModerated(postId, author.token(), "rejected");

        JsonNode statement = api.get("/api/posts/" + postId + "/moderation", author.token()).expect(200).json();
        assertEquals(postId, statement.get("postId").getLongValue());
        assertEquals("rejected", statement.get("status").getStringValue());
        JsonNode reasons = statement.get("moderation");
        assertEquals("rejected", reasons.get("effectiveDecision").getStringValue());
        assertTrue(reasons.get("automated").getBooleanValue());
        assertEquals(policyVersion, reasons.get("policyVersion").getLongValue());
        assertEquals(1, reasons.get("fired").size());
        JsonNode fired = reasons.get("fired").get(0);
        assertEquals("hate", fired.get("category").getStringValue());
        assertEquals(0.95, fired.get("score").getDoubleValue(), 1e-9);
        assertEquals(0.8, fired.get("threshold").getDoubleValue(), 1e-9);
        assertEquals("reject", fired.get("level").getStringValue());
        assertTrue(reasons.get("appealable").getBooleanValue());
        assertNull(reasons.get("note"));
        assertNull(reasons.get("scores"), "the author gets the thresholds crossed, not every score");
        assertEquals(reasons, post.get("moderation"), "the post's moderation field is the same statement");

        // Staff see it too, with the scores; nobody else learns the post exists.
        JsonNode staff = api.get("/api/posts/" + postId + "/moderation", moderator.token()).expect(200).json();
        assertEquals(13, staff.get("moderation").get("scores").size());
        api.get("/api/posts/" + postId + "/moderation", api.register("stranger").token()).expectProblem(404);
        api.get("/api/posts/" + postId + "/moderation", null).expectProblem(401);
        api.get("/api/posts/999999999/moderation", author.token()).expectProblem(404);
    }

    @Test
    void theAuthorSeesThatAModeratorRejectedTheirPostWithTheirNote() {
        long postId = newThreadPost("This is mildly rude");
        api.awaitModerated(postId, author.token(), "flagged");
        JsonNode flagged = api.get("/api/posts/" + postId + "/moderation", author.token()).expect(200).json()
                .get("moderation");
        assertEquals("flagged", flagged.get("effectiveDecision").getStringValue());
        assertTrue(flagged.get("automated").getBooleanValue());
        assertEquals("flag", flagged.get("fired").get(0).get("level").getStringValue());

        resolve(itemFor(postId), moderator, "reject", "A personal attack on another member");
        JsonNode post = api.get("/api/posts/" + postId, author.token()).expect(200).json();
        assertEquals("rejected", post.get("status").getStringValue());
        JsonNode reasons = post.get("moderation");
        assertEquals("flagged", reasons.get("decision").getStringValue(), "the automated decision keeps its meaning");
        assertEquals("rejected", reasons.get("effectiveDecision").getStringValue());
        assertFalse(reasons.get("automated").getBooleanValue());
        assertEquals("A personal attack on another member", reasons.get("note").getStringValue());
        assertEquals(policyVersion, reasons.get("policyVersion").getLongValue());
        assertEquals(List.of("harassment"), strings(reasons.get("categories")));
        assertNull(reasons.get("decidedBy"), "the author is not told which moderator it was");
        assertTrue(reasons.get("appealable").getBooleanValue());

        JsonNode staff = api.get("/api/posts/" + postId, moderator.token()).json().get("moderation");
        assertEquals(moderator.username(), staff.get("decidedBy").getStringValue());
    }

    @Test
    void anOverturnedAppealPublishesThePostAndSearchFindsIt() {
        long postId = newThreadPost("Zymotic ferments are utterly hateful to my stomach");
        api.awaitModerated(postId, author.token(), "rejected");

        JsonNode appealed = api.post("/api/posts/" + postId + "/appeal", author.token(),
                Map.of("message", "It is about food, not people.")).expect(201).json();
        assertEquals("open", appealed.get("moderation").get("appeal").get("state").getStringValue());
        assertFalse(appealed.get("moderation").get("appealable").getBooleanValue());

        String appeals = "/api/moderation/queue?kind=appeal&category=" + slug;
        JsonNode item = api.get(appeals, moderator.token()).expect(200).json().get("items").get(0);
        assertEquals(postId, item.get("post").get("id").getLongValue());
        assertEquals("appeal", item.get("kind").getStringValue());
        JsonNode appeal = item.get("appeal");
        assertEquals("It is about food, not people.", appeal.get("message").getStringValue());
        assertEquals(author.username(), appeal.get("by").getStringValue());
        JsonNode original = appeal.get("original");
        assertEquals("rejected", original.get("decision").getStringValue());
        assertTrue(original.get("automated").getBooleanValue());
        assertNull(original.get("by"));
        assertEquals(0.95, original.get("scores").get("hate").getDoubleValue(), 1e-9);
        assertEquals("hate", original.get("fired").get(0).get("category").getStringValue());
        assertEquals(policyVersion, original.get("policyVersion").getLongValue());
        assertEquals("hate", item.get("reasons").get(0).get("category").getStringValue(), "why it was rejected");
        assertEquals(0, api.get("/api/moderation/queue?kind=review&category=" + slug, moderator.token())
                .json().get("items").size());
        api.get("/api/moderation/queue?kind=complaint", moderator.token()).expectInvalid("kind");

        long itemId = item.get("id").getLongValue();
        resolveExpect(itemId, moderator, "approve", 422);
        JsonNode decided = resolve(itemId, moderator, "overturn", "Food criticism is fine");
        assertEquals("overturn", decided.get("resolution").get("action").getStringValue());

        assertEquals("published", api.get("/api/posts/" + postId, null).expect(200).text("status"));
        jobs.ofPost("embed", postId).awaitFinished();
        assertTrue(searchPosts("zymotic").contains(postId), "the overturned post is indexed for search");

        JsonNode reasons = api.get("/api/posts/" + postId + "/moderation", author.token()).json().get("moderation");
        assertEquals("published", reasons.get("effectiveDecision").getStringValue());
        assertFalse(reasons.get("automated").getBooleanValue());
        assertEquals("Food criticism is fine", reasons.get("note").getStringValue());
        assertEquals("overturned", reasons.get("appeal").get("state").getStringValue());
        assertEquals("Food criticism is fine", reasons.get("appeal").get("note").getStringValue());
        assertFalse(reasons.get("appealable").getBooleanValue());
        assertEquals(List.of(moderator.username() + ":appeal.overturn", author.username() + ":appeal", "system:decision"),
                auditOf(postId));
    }

    @Test
    void anUpheldAppealIsDecidedByAnotherModeratorAndTheAuthorSeesTheOutcome() {
        long postId = newThreadPost("Well that was mildly rude of you");
        api.awaitModerated(postId, author.token(), "flagged");
        resolve(itemFor(postId), moderator, "reject", "Rude to a member");
        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "I was joking with a friend."))
                .expect(201);

        JsonNode item = appealItemFor(postId);
        JsonNode original = item.get("appeal").get("original");
        assertEquals("rejected", original.get("decision").getStringValue());
        assertFalse(original.get("automated").getBooleanValue());
        assertEquals(moderator.username(), original.get("by").getStringValue());
        assertEquals("Rude to a member", original.get("note").getStringValue());
        assertEquals(0.6, original.get("scores").get("harassment").getDoubleValue(), 1e-9);

        long itemId = item.get("id").getLongValue();
        JsonNode refused = resolveExpect(itemId, moderator, "overturn", 409);
        assertTrue(refused.get("detail").getStringValue().contains("another moderator"), refused.toString());
        resolveExpect(itemId, moderator, "uphold", 409);
        assertEquals("open", api.get("/api/moderation/queue/" + itemId, moderator.token()).text("state"));

        resolve(itemId, otherModerator, "uphold", "Still rude, joke or not");
        assertEquals("rejected", api.get("/api/posts/" + postId, author.token()).text("status"));
        api.get("/api/posts/" + postId, null).expectProblem(404);
        JsonNode reasons = api.get("/api/posts/" + postId + "/moderation", author.token()).json().get("moderation");
        assertEquals("upheld", reasons.get("appeal").get("state").getStringValue());
        assertEquals("Still rude, joke or not", reasons.get("appeal").get("note").getStringValue());
        assertEquals("I was joking with a friend.", reasons.get("appeal").get("message").getStringValue());
        assertEquals("rejected", reasons.get("effectiveDecision").getStringValue());
        assertFalse(reasons.get("appealable").getBooleanValue());
        assertEquals(otherModerator.username() + ":appeal.uphold", auditOf(postId).get(0));

        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "Please look again"))
                .expectProblem(409);
    }

    @Test
    void theOnlyActiveModeratorMayDecideTheAppealOfTheirOwnDecision() {
        long postId = newThreadPost("A mildly rude aside");
        api.awaitModerated(postId, author.token(), "flagged");
        resolve(itemFor(postId), moderator, "reject", "Unkind");
        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "It was not meant so."))
                .expect(201);
        long itemId = appealItemFor(postId).get("id").getLongValue();
        resolveExpect(itemId, moderator, "overturn", 409);

        // Every other moderator and admin suspended for the moment: a forum with one moderator.
        String mark = Api.unique("appeal-test");
        db.execute("UPDATE users SET suspended_at = now(), suspension_reason = ? WHERE role IN ('moderator', 'admin')"
                + " AND suspended_at IS NULL AND id <> ?", mark, moderator.id());
        try {
            resolve(itemId, moderator, "overturn", "On reflection, fine");
        } finally {
            db.execute("UPDATE users SET suspended_at = NULL, suspension_reason = NULL WHERE suspension_reason = ?", mark);
        }
        assertEquals("published", api.get("/api/posts/" + postId, null).expect(200).text("status"));
        JsonNode entry = api.get("/api/moderation/audit?postId=" + postId, moderator.token()).expect(200).json()
                .get("items").get(0);
        assertEquals("appeal.overturn", entry.get("action").getStringValue());
        assertTrue(entry.get("detail").get("sameModerator").getBooleanValue(), "recorded as the exception it is");
    }

    @Test
    void aDecisionIsAppealedOnceAndOnlyByItsAuthor() {
        long rejected = newThreadPost("Another utterly hateful rant");
        api.awaitModerated(rejected, author.token(), "rejected");
        String appeal = "/api/posts/" + rejected + "/appeal";
        api.post(appeal, api.register("stranger").token(), Map.of("message", "Let it be")).expectProblem(404);
        api.post(appeal, moderator.token(), Map.of("message", "Let it be")).expectProblem(403);
        api.post(appeal, null, Map.of("message", "Let it be")).expectProblem(401);
        api.post(appeal, author.token(), Map.of()).expectInvalid("message");
        api.post(appeal, author.token(), Map.of("message", "x".repeat(1001))).expectInvalid("message");
        api.post(appeal, author.token(), "{\"message\": \"bad \\ud800 text\"}").expectInvalid("message");

        api.post(appeal, author.token(), Map.of("message", "First appeal")).expect(201);
        api.post(appeal, author.token(), Map.of("message", "Second appeal")).expectProblem(409);
        assertEquals(1, db.count("SELECT count(*) FROM appeals WHERE post_id = ?", rejected));

        long published = newThreadPost("A perfectly calm post");
        api.awaitModerated(published, author.token(), "published");
        api.post("/api/posts/" + published + "/appeal", author.token(), Map.of("message", "Why?")).expectProblem(409);
        api.post("/api/posts/" + published + "/appeal", api.register("stranger").token(), Map.of("message", "Why?"))
                .expectProblem(403);
        api.post("/api/posts/999999999/appeal", author.token(), Map.of("message", "Why?")).expectProblem(404);
    }

    @Test
    void appealingAFlagThatWaitsForAModeratorTurnsItsItemIntoTheAppeal() {
        long postId = newThreadPost("Honestly mildly rude but true");
        api.awaitModerated(postId, author.token(), "flagged");
        long itemId = itemFor(postId).get("id").getLongValue();
        api.post("/api/moderation/queue/" + itemId + "/claim", otherModerator.token(), Map.of()).expect(200);

        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "It is true though.")).expect(201);
        JsonNode item = api.get("/api/moderation/queue/" + itemId, otherModerator.token()).expect(200).json();
        assertEquals("appeal", item.get("kind").getStringValue());
        assertEquals("claimed", item.get("state").getStringValue(), "the claim carries over");
        assertEquals("harassment", item.get("reasons").get(0).get("category").getStringValue());
        assertEquals("flagged", item.get("appeal").get("original").get("decision").getStringValue());
        assertEquals(1, db.count("SELECT count(*) FROM review_items WHERE post_id = ?", postId), "one item, not two");

        resolveExpect(itemId, otherModerator, "reject", 422);
        resolve(itemId, otherModerator, "overturn", null);
        assertEquals("published", api.get("/api/posts/" + postId, null).expect(200).text("status"));
    }

    @Test
    void upholdingTheAppealOfAWaitingFlagRejectsThePost() {
        long postId = newThreadPost("Honestly mildly rude but true");
        api.awaitModerated(postId, author.token(), "flagged");
        long itemId = itemFor(postId).get("id").getLongValue();
        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "It is true though.")).expect(201);

        resolve(itemId, otherModerator, "uphold", "Rude is rude");
        JsonNode statement = api.get("/api/posts/" + postId + "/moderation", author.token()).expect(200).json();
        assertEquals("rejected", statement.get("status").getStringValue(),
                "a flag left flagged would wait for a review that never comes");
        assertEquals("upheld", statement.get("moderation").get("appeal").get("state").getStringValue());
    }

    @Test
    void anEditMakesAnOpenAppealMootAndTheNewDecisionCanBeAppealed() {
        long postId = newThreadPost("First draft, utterly hateful");
        api.awaitModerated(postId, author.token(), "rejected");
        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "Reconsider")).expect(201);
        long appealItem = appealItemFor(postId).get("id").getLongValue();

        api.patch("/api/posts/" + postId, author.token(), Map.of("body", "Second draft, only mildly rude")).expect(200);
        api.awaitModerated(postId, author.token(), "flagged");
        JsonNode old = api.get("/api/moderation/queue/" + appealItem, moderator.token()).json();
        assertEquals("resolved", old.get("state").getStringValue());
        assertEquals("superseded", old.get("resolution").get("action").getStringValue());
        JsonNode fresh = itemFor(postId);
        assertEquals("review", fresh.get("kind").getStringValue());
        assertTrue(fresh.get("id").getLongValue() != appealItem);

        JsonNode reasons = api.get("/api/posts/" + postId + "/moderation", author.token()).json().get("moderation");
        assertNull(reasons.get("appeal"), "the appeal was of the old text");
        assertTrue(reasons.get("appealable").getBooleanValue());
        api.post("/api/posts/" + postId + "/appeal", author.token(), Map.of("message", "Better now?")).expect(201);
    }

    @Test
    void aVersionAModeratorApprovedIsNotReflaggedByARescanAndReportsStillReachTheQueue() {
        api.put("/api/moderation/policy", api.adminToken(), defaultPolicy("publish")).expect(200);
        openai.failAlways(Failure.status(500));
        long postId = newThreadPost("Posted in an outage and mildly rude");
        api.awaitModerated(postId, author.token(), "published");
        assertTrue(api.get("/api/posts/" + postId, moderator.token()).json().get("moderation").get("unmoderated")
                .getBooleanValue());

        api.post("/api/posts/" + postId + "/report", api.register("reporter").token(), Map.of("reason", "rude"))
                .expect(202);
        resolve(itemFor(postId), moderator, "approve", "Fine in context");

        openai.recover();
        int asked = openai.moderationRequests();
        rescans.enqueueUnmoderated();
        assertEquals(0, db.count("SELECT count(*) FROM jobs WHERE kind = 'moderate' AND payload ->> 'postId' = ?"
                + " AND (payload ->> 'rescan')::boolean", String.valueOf(postId)), "the sweep leaves it alone");
        // Even a rescan queued before the approval changes nothing once it runs.
        transactions.executeWrite(status -> {
            moderation.rescan(postId, 1);
            return null;
        });
        jobs.since(firstJob, "moderate").awaitFinished();
        assertTrue(openai.moderationRequests() > asked, "the recovered provider scored it over the flag threshold");
        assertEquals("published", api.get("/api/posts/" + postId, null).expect(200).text("status"));
        assertEquals(0, db.count("SELECT count(*) FROM review_items WHERE post_id = ? AND state <> 'resolved'", postId));
        assertEquals(1, db.count("SELECT count(*) FROM moderation_decisions WHERE post_id = ? AND unmoderated", postId),
                "the rescan did not replace the decision a moderator settled");

        api.post("/api/posts/" + postId + "/report", api.register("reporter").token(), Map.of("reason", "still rude"))
                .expect(202);
        JsonNode reopened = api.get("/api/moderation/queue?category=" + slug, moderator.token()).json().get("items").get(0);
        assertEquals(postId, reopened.get("post").get("id").getLongValue());
        assertEquals("report", reopened.get("reasons").get(0).get("source").getStringValue());
    }

    private long newThreadPost(String body) {
        return api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Thread " + Api.unique("t"),
                "body", body)).expect(201).json().get("firstPost").get("id").getLongValue();
    }

    private JsonNode itemFor(long postId) {
        return findItem(postId, "review");
    }

    private JsonNode appealItemFor(long postId) {
        return findItem(postId, "appeal");
    }

    private JsonNode findItem(long postId, String kind) {
        for (JsonNode item : api.get("/api/moderation/queue?limit=100&kind=" + kind + "&category=" + slug,
                moderator.token()).expect(200).json().get("items").values()) {
            if (item.get("post").get("id").getLongValue() == postId) {
                return item;
            }
        }
        throw new AssertionError("no open " + kind + " item for post " + postId);
    }

    private JsonNode resolve(JsonNode item, User by, String action, String note) {
        return resolve(item.get("id").getLongValue(), by, action, note);
    }

    private JsonNode resolve(long itemId, User by, String action, String note) {
        return api.post("/api/moderation/queue/" + itemId + "/resolve", by.token(), map("action", action, "note", note))
                .expect(200).json();
    }

    private JsonNode resolveExpect(long itemId, User by, String action, int status) {
        return api.post("/api/moderation/queue/" + itemId + "/resolve", by.token(), map("action", action))
                .expectProblem(status).json();
    }

    private List<Long> searchPosts(String q) {
        List<Long> ids = new ArrayList<>();
        api.get("/api/search?mode=keyword&category=" + slug + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), null)
                .expect(200).json().get("results").values().forEach(r -> ids.add(r.get("post").get("id").getLongValue()));
        return ids;
    }

    /** The post's audit entries, newest first, as "actor:action". */
    private List<String> auditOf(long postId) {
        List<String> actions = new ArrayList<>();
        api.get("/api/moderation/audit?postId=" + postId, moderator.token()).expect(200).json().get("items").values()
                .forEach(e -> actions.add(e.get("actor").getStringValue() + ":" + e.get("action").getStringValue()));
        return actions;
    }

    private static Map<String, Object> defaultPolicy(String onProviderFailure) {
        Map<String, Object> policy = ModerationApiTest.defaultPolicy();
        policy.put("onProviderFailure", onProviderFailure);
        return policy;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(v -> values.add(v.getStringValue()));
        return values;
    }
}

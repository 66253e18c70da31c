package dev.parley.moderation;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.FakeOpenAi.Failure;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread title edit goes through moderation like a post edit: the thread keeps its public title
 * until the edit is published, a flagged edit waits in the review queue, a newer edit supersedes an
 * older one, and staff edits apply at once with an audit entry.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TitleModerationTest extends FakeOpenAiApiTest {

    User author;
    User moderator;
    String slug;
    long firstJob;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.openai.timeout", "400ms",
                "parley.moderation.max-attempts", "2",
                "parley.moderation.username-screen.timeout", "300ms",
                "parley.pipeline.backoff-base", "20ms",
                "parley.pipeline.backoff-max", "100ms");
    }

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        openai.reset();
        openai.scoreWhenContains("mildly rude", "harassment", 0.6);
        openai.scoreWhenContains("utterly hateful", "hate", 0.95);
        api.put("/api/moderation/policy", api.adminToken(), ModerationApiTest.defaultPolicy()).expect(200);
        author = api.register("titler");
        moderator = api.withRole("titlemod", "moderator");
        slug = api.category("titles");
    }

    @AfterEach
    void awaitOwnJobs() {
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
    }

    @Test
    void theAuthorSeesTheWaitingTitleEditAndTheAnonymousPublicDoesNot() {
        long threadId = thread("Telescope advice wanted");
        JsonNode answer = editTitle(threadId, "A mildly rude telescope title");
        assertEquals("Telescope advice wanted", answer.get("title").getStringValue());
        assertEquals("A mildly rude telescope title", answer.get("pendingTitle").get("title").getStringValue());
        assertEquals(1, answer.get("pendingTitle").get("version").getIntValue());

        JsonNode flagged = api.awaitTitleModerated(threadId, author.token());
        JsonNode pending = flagged.get("pendingTitle");
        assertEquals("flagged", pending.get("status").getStringValue());
        assertEquals("flagged", pending.get("moderation").get("decision").getStringValue());
        assertEquals(List.of("harassment"), strings(pending.get("moderation").get("categories")));
        assertNull(pending.get("moderation").get("scores"), "the author sees the decision, not the scores");
        assertNotNull(api.get("/api/threads/" + threadId, moderator.token()).json().get("pendingTitle")
                .get("moderation").get("scores"), "staff see the scores");

        JsonNode anonymous = api.get("/api/threads/" + threadId, null).expect(200).json();
        assertEquals("Telescope advice wanted", anonymous.get("title").getStringValue());
        assertNull(anonymous.get("pendingTitle"));
        User stranger = api.register("stranger");
        assertNull(api.get("/api/threads/" + threadId, stranger.token()).json().get("pendingTitle"),
                "another member is the public too");
        assertEquals("Telescope advice wanted", listedTitle(threadId));
    }

    @Test
    void aFlaggedTitleEditIsQueuedAndApprovalPublishesItOnThePageTheListingAndInSearch() {
        long threadId = thread("Eyepiece question");
        editTitle(threadId, "Mildly rude quokkascope eyepieces");
        api.awaitTitleModerated(threadId, author.token());
        assertEquals(0, keywordHits("quokkascope"), "a flagged title is not searchable");

        JsonNode item = titleItem(threadId);
        assertEquals("title", item.get("subject").getStringValue());
        assertEquals("open", item.get("state").getStringValue());
        assertEquals("Mildly rude quokkascope eyepieces", item.get("titleEdit").get("proposed").getStringValue());
        assertEquals("Mildly rude quokkascope eyepieces", item.get("post").get("body").getStringValue());
        assertEquals("flagged", item.get("post").get("status").getStringValue());
        assertEquals("Eyepiece question", item.get("thread").get("title").getStringValue());
        assertEquals("harassment", item.get("reasons").get(0).get("category").getStringValue());
        assertEquals("flagged", db.value("SELECT decision FROM moderation_decisions WHERE subject = 'title'"
                + " AND post_id = ? AND post_version = 1", firstPostId(threadId)));

        long mark = jobs.mark();
        api.post("/api/moderation/queue/" + item.get("id").getLongValue() + "/resolve", moderator.token(),
                map("action", "approve", "note", "fair enough")).expect(200);
        assertEquals("Mildly rude quokkascope eyepieces", api.get("/api/threads/" + threadId, null).text("title"));
        assertEquals("Mildly rude quokkascope eyepieces", listedTitle(threadId));
        assertNull(api.get("/api/threads/" + threadId, author.token()).json().get("pendingTitle"));
        jobs.since(mark, "embed").awaitFinished();
        assertEquals(1, keywordHits("quokkascope"), "the first post is indexed again under the new title");
        assertEquals(List.of(moderator.username() + ":review.approve", "system:decision"), auditActions(threadId));
    }

    @Test
    void rejectingAFlaggedTitleEditKeepsTheOldTitle() {
        long threadId = thread("Mount recommendations");
        editTitle(threadId, "Mildly rude mount talk");
        api.awaitTitleModerated(threadId, author.token());
        api.post("/api/moderation/queue/" + titleItem(threadId).get("id").getLongValue() + "/resolve",
                moderator.token(), map("action", "reject", "note", "no")).expect(200);

        assertEquals("Mount recommendations", api.get("/api/threads/" + threadId, null).text("title"));
        JsonNode pending = api.get("/api/threads/" + threadId, author.token()).json().get("pendingTitle");
        assertEquals("rejected", pending.get("status").getStringValue());
        assertEquals("rejected", db.value("SELECT status FROM thread_title_revisions WHERE thread_id = ?", threadId));
    }

    @Test
    void aTitleOverTheRejectThresholdIsRejectedWithoutEverShowing() {
        long threadId = thread("Clear skies tonight");
        editTitle(threadId, "Something utterly hateful");
        JsonNode thread = api.awaitTitleModerated(threadId, author.token());
        assertEquals("rejected", thread.get("pendingTitle").get("status").getStringValue());
        assertEquals(List.of("hate"), strings(thread.get("pendingTitle").get("moderation").get("categories")));
        assertEquals("Clear skies tonight", api.get("/api/threads/" + threadId, null).text("title"));
        assertTrue(titleItems(threadId).isEmpty(), "a rejection needs no moderator");
    }

    @Test
    void aNewerEditSupersedesTheOneWaitingAndItsQueueItem() {
        long threadId = thread("Dobsonian or refractor");
        editTitle(threadId, "Mildly rude dobsonian take");
        api.awaitTitleModerated(threadId, author.token());
        long itemId = titleItem(threadId).get("id").getLongValue();

        editTitle(threadId, "Dobsonian or refractor for a beginner");
        // Whether or not the newer edit is decided yet, the old item cannot publish what the author replaced.
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(), map("action", "approve"))
                .expectProblem(409);
        api.awaitTitleModerated(threadId, author.token());
        assertEquals("Dobsonian or refractor for a beginner", api.get("/api/threads/" + threadId, null).text("title"));
        assertEquals("superseded", db.value("SELECT resolution FROM review_items WHERE id = ?", itemId));
        assertEquals(List.of("superseded", "published"), db.column(
                "SELECT status FROM thread_title_revisions WHERE thread_id = ? ORDER BY version", threadId));
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(), map("action", "approve"))
                .expectProblem(409);
        assertEquals("Dobsonian or refractor for a beginner", api.get("/api/threads/" + threadId, null).text("title"));
    }

    @Test
    void aStaffTitleEditAppliesAtOnceIsAuditedAndClosesTheWaitingItem() {
        long threadId = thread("Meteor shower meetup");
        editTitle(threadId, "Mildly rude meteor meetup");
        api.awaitTitleModerated(threadId, author.token());
        long itemId = titleItem(threadId).get("id").getLongValue();

        JsonNode answer = api.patch("/api/threads/" + threadId, moderator.token(),
                map("title", "Meteor shower meetup (Saturday)")).expect(200).json();
        assertEquals("Meteor shower meetup (Saturday)", answer.get("title").getStringValue());
        assertNull(answer.get("pendingTitle"));
        assertEquals("Meteor shower meetup (Saturday)", api.get("/api/threads/" + threadId, null).text("title"));
        assertEquals("superseded", db.value("SELECT resolution FROM review_items WHERE id = ?", itemId));
        List<String> actions = auditActions(threadId);
        assertEquals(moderator.username() + ":title.staff-edit", actions.get(0));
        JsonNode entry = api.get("/api/moderation/audit?postId=" + firstPostId(threadId), moderator.token())
                .json().get("items").get(0);
        assertEquals("Meteor shower meetup", entry.get("detail").get("from").getStringValue());
        assertEquals("Meteor shower meetup (Saturday)", entry.get("detail").get("to").getStringValue());
    }

    @Test
    void aTitleEditIsNeverPublishedUnmoderatedWhenTheProviderFails() {
        Map<String, Object> policy = ModerationApiTest.defaultPolicy();
        policy.put("onProviderFailure", "publish");
        long threadId = thread("Aurora forecast");
        api.put("/api/moderation/policy", api.adminToken(), policy).expect(200);
        openai.failAlways(Failure.status(500));
        editTitle(threadId, "Aurora forecast for the weekend");
        JsonNode thread = api.awaitTitleModerated(threadId, author.token());
        openai.recover();

        assertEquals("flagged", thread.get("pendingTitle").get("status").getStringValue());
        assertEquals("Aurora forecast", api.get("/api/threads/" + threadId, null).text("title"));
        assertEquals("provider unavailable",
                titleItem(threadId).get("reasons").get(0).get("category").getStringValue());
    }

    @Test
    void aModerationJobQueuedBeforeTitlesWereModeratedIsAPostJob() throws Exception {
        ModerationTask old = json.readValue("{\"postId\":7,\"version\":2,\"rescan\":false,\"provider\":\"openai\"}",
                ModerationTask.class);
        assertEquals(Subject.POST, old.judged());
        assertEquals("7@2", old.uniqueKey());
        ModerationTask title = json.readValue(json.writeValueAsString(
                new ModerationTask(7, 2, false, "openai", Subject.TITLE)), ModerationTask.class);
        assertEquals(Subject.TITLE, title.judged());
        assertFalse(title.uniqueKey().equals(old.uniqueKey()), "a title edit and a post version are two jobs");
    }

    @Test
    void aUsernameThePolicyWouldFlagOrRejectIsRefusedAndTheRulesDecideWhileTheProviderIsDownOrSlow() {
        String hateful = Api.unique("utterly_hateful_");
        api.post("/api/auth/register", null, map("username", hateful, "email", hateful + "@example.com",
                "password", "long enough password")).expectInvalid("username");
        assertEquals(0, db.count("SELECT count(*) FROM users WHERE username = ?", hateful));

        JsonNode rulesBefore = api.get("/api/moderation/rules", api.adminToken()).expect(200).json();
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of(
                Map.of("pattern", "grimbold", "kind", "word", "category", "harassment", "score", 0.95)))).expect(200);
        openai.failAlways(Failure.status(500));
        String watched = Api.unique("grimbold_");
        api.post("/api/auth/register", null, map("username", watched, "email", watched + "@example.com",
                "password", "long enough password")).expectInvalid("username");
        api.register("stargazer");
        openai.recover();

        // A provider slower than the screening's timeout is not waited for either.
        openai.delayEveryAnswer(java.time.Duration.ofSeconds(3));
        String slow = Api.unique("grimbold.");
        api.post("/api/auth/register", null, map("username", slow, "email", slow + "@example.com",
                "password", "long enough password")).expectInvalid("username");
        api.register("nightowl");
        openai.delayEveryAnswer(java.time.Duration.ZERO);
        api.put("/api/moderation/rules", api.adminToken(), rulesBefore).expect(200);
    }

    private long thread(String title) {
        return api.thread(author, slug, title, "An ordinary opening post about " + title).get("id").getLongValue();
    }

    private JsonNode editTitle(long threadId, String title) {
        return api.patch("/api/threads/" + threadId, author.token(), map("title", title)).expect(200).json();
    }

    private long firstPostId(long threadId) {
        return db.count("SELECT min(id) FROM posts WHERE thread_id = ?", threadId);
    }

    private String listedTitle(long threadId) {
        for (JsonNode t : api.get("/api/categories/" + slug + "/threads?limit=100", null).expect(200).json()
                .get("items").values()) {
            if (t.get("id").getLongValue() == threadId) {
                return t.get("title").getStringValue();
            }
        }
        throw new AssertionError("thread " + threadId + " is not listed");
    }

    private int keywordHits(String word) {
        return api.get("/api/search?mode=keyword&q=" + word, null).expect(200).json().get("results").size();
    }

    private List<JsonNode> titleItems(long threadId) {
        List<JsonNode> found = new ArrayList<>();
        for (String state : new String[]{"open", "claimed", "resolved"}) {
            for (JsonNode item : api.get("/api/moderation/queue?limit=100&state=" + state + "&category=" + slug,
                    moderator.token()).expect(200).json().get("items").values()) {
                if (item.get("thread").get("id").getLongValue() == threadId
                        && item.get("subject").getStringValue().equals("title")) {
                    found.add(item);
                }
            }
        }
        return found;
    }

    private JsonNode titleItem(long threadId) {
        List<JsonNode> items = titleItems(threadId);
        assertEquals(1, items.size(), "title items of thread " + threadId);
        return items.get(0);
    }

    /** The thread's first post's audit entries, newest first, as "actor:action". */
    private List<String> auditActions(long threadId) {
        List<String> actions = new ArrayList<>();
        api.get("/api/moderation/audit?postId=" + firstPostId(threadId), moderator.token()).expect(200).json()
                .get("items").values().forEach(e -> {
                    String action = e.get("action").getStringValue();
                    if (!action.equals("decision") || "title".equals(text(e.get("detail").get("subject")))) {
                        actions.add(e.get("actor").getStringValue() + ":" + action);
                    }
                });
        return actions;
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.getStringValue();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(v -> values.add(v.getStringValue()));
        return values;
    }
}

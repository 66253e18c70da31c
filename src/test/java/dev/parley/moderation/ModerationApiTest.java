package dev.parley.moderation;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.FakeOpenAi.Failure;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Moderation through the OpenAI provider, against a fake that speaks OpenAI's wire format. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModerationApiTest extends FakeOpenAiApiTest {

    @Inject
    RescanSweep rescans;

    User author;
    User moderator;
    String slug;
    long firstJob;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.openai.timeout", "400ms",
                "parley.moderation.max-attempts", "3",
                "parley.pipeline.backoff-base", "20ms",
                "parley.pipeline.backoff-max", "100ms");
    }

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        openai.reset();
        openai.scoreWhenContains("mildly rude", "harassment", 0.6);
        openai.scoreWhenContains("utterly hateful", "hate", 0.95);
        openai.scoreWhenContains("graphic battle", "violence", 0.99);
        // Each test starts from the default policy.
        api.put("/api/moderation/policy", api.adminToken(), defaultPolicy()).expect(200);
        author = api.register("author");
        moderator = api.withRole("mod", "moderator");
        slug = api.category("mod");
        // Registration screened the usernames with the provider: count only what the test causes.
        openai.resetCounters();
    }

    /** This test's retries and rescans end before the next test scripts the fake anew. */
    @AfterEach
    void awaitOwnJobs() {
        jobs.since(firstJob, "moderate").awaitFinished();
    }

    @Test
    void aCleanPostIsPublishedWithItsScoresRecorded() {
        long postId = newThreadPost("A calm and friendly question");
        JsonNode post = api.awaitModerated(postId, author.token(), "published");
        assertEquals("published", post.get("moderation").get("decision").getStringValue());
        assertEquals(0, post.get("moderation").get("categories").size());
        assertNull(post.get("moderation").get("scores"), "the author sees the decision, not the scores");

        JsonNode staff = api.get("/api/posts/" + postId, moderator.token()).json().get("moderation");
        assertEquals("openai", staff.get("provider").getStringValue());
        assertEquals("omni-moderation-latest", staff.get("model").getStringValue());
        assertEquals(13, staff.get("scores").size(), "all 13 category scores are kept");
        assertEquals("/v1/moderations", openai.lastPath());
        assertEquals("Bearer sk-test-key", openai.lastAuthorization());
    }

    @Test
    void aScoreOverTheFlagThresholdHoldsThePostForReview() {
        long postId = newThreadPost("This is mildly rude");
        JsonNode post = api.awaitModerated(postId, author.token(), "flagged");
        assertEquals(List.of("harassment"), strings(post.get("moderation").get("categories")));
        api.get("/api/posts/" + postId, null).expectProblem(404);

        JsonNode item = itemFor(postId);
        assertEquals("open", item.get("state").getStringValue());
        JsonNode reason = item.get("reasons").get(0);
        assertEquals("openai", reason.get("source").getStringValue());
        assertEquals("harassment", reason.get("category").getStringValue());
        assertEquals(0.6, reason.get("score").getDoubleValue(), 1e-9);
        assertEquals(0.5, reason.get("threshold").getDoubleValue(), 1e-9);
        assertEquals(slug, item.get("thread").get("category").getStringValue());
    }

    @Test
    void aScoreOverTheRejectThresholdRejectsThePost() {
        long postId = newThreadPost("Something utterly hateful");
        JsonNode post = api.awaitModerated(postId, author.token(), "rejected");
        assertEquals(List.of("hate"), strings(post.get("moderation").get("categories")));
        api.get("/api/posts/" + postId, null).expectProblem(404);
    }

    @Test
    void aForumCategoryOverrideBeatsTheGlobalThreshold() {
        String lenient = api.category("banter");
        Map<String, Object> policy = defaultPolicy();
        policy.put("categoryOverrides", Map.of(lenient, Map.of("thresholds",
                Map.of("harassment", map("flag", 0.9, "reject", null)))));
        api.put("/api/moderation/policy", api.adminToken(), policy).expect(200);

        long inLenient = api.post("/api/threads", author.token(), Map.of("category", lenient, "title", "Banter",
                "body", "mildly rude joke")).expect(201).json().get("firstPost").get("id").getLongValue();
        long elsewhere = newThreadPost("mildly rude joke");
        api.awaitModerated(inLenient, author.token(), "published");
        api.awaitModerated(elsewhere, author.token(), "flagged");
    }

    @Test
    void aNullThresholdNeverFires() {
        Map<String, Object> policy = defaultPolicy();
        @SuppressWarnings("unchecked")
        Map<String, Object> thresholds = (Map<String, Object>) policy.get("thresholds");
        thresholds.put("violence", map("flag", null, "reject", null));
        api.put("/api/moderation/policy", api.adminToken(), policy).expect(200);
        api.awaitModerated(newThreadPost("a graphic battle scene"), author.token(), "published");
    }

    @Test
    void theRulesCatchAnObfuscatedWatchedWordAndTheHigherScoreWins() {
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of(
                Map.of("pattern", "frobnicate", "kind", "word", "category", "harassment", "score", 0.95)))).expect(200);
        long postId = newThreadPost("you should ｆｒｏ\u200Bbnícate yourself");
        JsonNode post = api.awaitModerated(postId, author.token(), "rejected");
        assertEquals(List.of("harassment"), strings(post.get("moderation").get("categories")));
        JsonNode staff = api.get("/api/posts/" + postId, moderator.token()).json().get("moderation");
        assertEquals(0.95, staff.get("scores").get("harassment").getDoubleValue(), 1e-9);
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of())).expect(200);
    }

    @Test
    void aRateLimitIsWaitedOutAsTheProviderAsksAndThenThePostIsDecided() {
        openai.failNext(Failure.rateLimited(1));
        long postId = newThreadPost("A patient question");
        api.awaitModerated(postId, author.token(), "published");
        assertEquals(2, openai.moderationRequests());
        // Being told to wait is not a failed attempt: the job succeeded on its first counted attempt.
        assertEquals(1, db.count("SELECT attempts FROM jobs WHERE kind = 'moderate' AND payload ->> 'postId' = ?",
                String.valueOf(postId)));
        assertTrue(db.count("SELECT count(*) FROM jobs WHERE kind = 'moderate' AND payload ->> 'postId' = ?"
                + " AND last_error LIKE '%429%'", String.valueOf(postId)) == 1, "the deferral is recorded");
    }

    @Test
    void repeatedServerErrorsEndInTheFlagFallbackAndHealthShowsTheProviderDegraded() {
        openai.failAlways(Failure.status(500));
        long postId = newThreadPost("Posted during an outage");
        JsonNode post = api.awaitModerated(postId, author.token(), "flagged");
        assertEquals(List.of(), strings(post.get("moderation").get("categories")));
        JsonNode item = itemFor(postId);
        assertEquals("provider unavailable", item.get("reasons").get(0).get("category").getStringValue());
        assertEquals(3, openai.moderationRequests(), "one request per attempt");

        JsonNode health = api.get("/health", api.adminToken()).json();
        JsonNode provider = health.get("details").get("moderationProvider");
        assertEquals("DEGRADED", provider.get("status").getStringValue());
        assertEquals("unavailable", provider.get("details").get("state").getStringValue());
        openai.recover();
    }

    @Test
    void timeoutsWithThePublishFallbackPublishUnmoderatedAndARescanModeratesLater() {
        Map<String, Object> policy = defaultPolicy();
        policy.put("onProviderFailure", "publish");
        api.put("/api/moderation/policy", api.adminToken(), policy).expect(200);
        openai.failAlways(Failure.delay(Duration.ofSeconds(2)));
        long postId = newThreadPost("mildly rude words during a slow outage");
        api.awaitModerated(postId, author.token(), "published");
        JsonNode staff = api.get("/api/posts/" + postId, moderator.token()).json().get("moderation");
        assertTrue(staff.get("unmoderated").getBooleanValue());

        openai.recover();
        assertTrue(rescans.enqueueUnmoderated() >= 1);
        jobs.ofPost("moderate", postId).awaitFinished();
        JsonNode rescanned = api.get("/api/posts/" + postId, moderator.token()).json();
        assertEquals("flagged", rescanned.get("status").getStringValue(), "the rescan judged the text");
        assertFalse(rescanned.get("moderation").get("unmoderated").getBooleanValue());
    }

    @Test
    void aMalformedAnswerIsRetriedLikeAnOutage() {
        openai.failNext(Failure.body("{\"results\": [{\"category_scores\": "));
        openai.failNext(Failure.body("{\"id\": \"modr-1\", \"results\": \"not a list\"}"));
        long postId = newThreadPost("Hello after a glitch");
        api.awaitModerated(postId, author.token(), "published");
        assertEquals(3, openai.moderationRequests());
    }

    @Test
    void aConfigurationErrorAppliesTheFallbackAtOnceAndShowsInHealth() {
        openai.failNext(Failure.status(401));
        long postId = newThreadPost("Posted with a revoked key");
        api.awaitModerated(postId, author.token(), "flagged");
        assertEquals(1, openai.moderationRequests(), "retrying cannot fix a configuration error");
        JsonNode provider = api.get("/health", api.adminToken()).json().get("details").get("moderationProvider");
        assertEquals("configuration-error", provider.get("details").get("state").getStringValue());
        assertFalse(provider.toString().contains("sk-test-key"));
    }

    @Test
    void anEditGoesThroughModerationAgain() {
        long postId = newThreadPost("Perfectly nice");
        api.awaitModerated(postId, author.token(), "published");
        api.patch("/api/posts/" + postId, author.token(), Map.of("body", "now mildly rude")).expect(200);
        api.awaitModerated(postId, author.token(), "flagged");
        assertEquals(2, db.count("SELECT count(*) FROM moderation_decisions WHERE post_id = ?", postId));
    }

    @Test
    void anApprovalCoversOnlyTheTextThatWasReviewed() {
        long postId = newThreadPost("mildly rude first draft");
        api.awaitModerated(postId, author.token(), "flagged");
        long itemId = itemFor(postId).get("id").getLongValue();
        api.patch("/api/posts/" + postId, author.token(), Map.of("body", "mildly rude second draft")).expect(200);
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(), Map.of("action", "approve"))
                .expectProblem(409);
    }

    @Test
    void approvingPublishesAndRejectingRejectsThroughThePublicApi() {
        long approved = newThreadPost("mildly rude but fair");
        long rejected = newThreadPost("mildly rude and unfair");
        api.awaitModerated(approved, author.token(), "flagged");
        api.awaitModerated(rejected, author.token(), "flagged");

        var result = api.post("/api/moderation/queue/" + itemFor(approved).get("id").getLongValue() + "/resolve",
                moderator.token(), Map.of("action", "approve", "note", "banter")).expect(200).json();
        assertEquals("resolved", result.get("state").getStringValue());
        assertEquals("approve", result.get("resolution").get("action").getStringValue());
        assertEquals(moderator.username(), result.get("resolution").get("by").getStringValue());
        assertEquals("published", api.get("/api/posts/" + approved, null).expect(200).text("status"));

        api.post("/api/moderation/queue/" + itemFor(rejected).get("id").getLongValue() + "/resolve",
                moderator.token(), Map.of("action", "reject", "note", "no")).expect(200);
        api.get("/api/posts/" + rejected, null).expectProblem(404);
        assertEquals("rejected", api.get("/api/posts/" + rejected, author.token()).text("status"));
    }

    @Test
    void reportsOfOnePostGatherInOneItem() {
        long postId = newThreadPost("A post people dislike");
        api.awaitModerated(postId, author.token(), "published");
        User first = api.register("reporter");
        User second = api.register("reporter");
        api.post("/api/posts/" + postId + "/report", first.token(), Map.of("reason", "spam")).expect(202);
        api.post("/api/posts/" + postId + "/report", first.token(), Map.of("reason", "spam again")).expect(202);
        api.post("/api/posts/" + postId + "/report", second.token(), Map.of("reason", "off topic")).expect(202);
        api.post("/api/posts/" + postId + "/report", second.token(), Map.of()).expectInvalid("reason");
        api.post("/api/posts/999999999/report", second.token(), Map.of("reason", "x")).expectProblem(404);
        api.post("/api/posts/" + postId + "/report", null, Map.of("reason", "x")).expectProblem(401);

        JsonNode item = itemFor(postId);
        List<String> details = new ArrayList<>();
        item.get("reasons").values().forEach(r -> {
            assertEquals("report", r.get("source").getStringValue());
            details.add(r.get("detail").getStringValue());
        });
        assertEquals(List.of("spam", "off topic"), details);
        assertEquals(1, db.count("SELECT count(*) FROM review_items WHERE post_id = ?", postId));
        assertEquals("published", api.get("/api/posts/" + postId, null).text("status"), "a report alone hides nothing");
    }

    @Test
    void aClaimIsExclusiveUntilReleased() {
        User other = api.withRole("mod", "moderator");
        long postId = newThreadPost("mildly rude claim test");
        api.awaitModerated(postId, author.token(), "flagged");
        long itemId = itemFor(postId).get("id").getLongValue();
        String base = "/api/moderation/queue/" + itemId;

        assertEquals(moderator.username(), api.post(base + "/claim", moderator.token(), Map.of()).expect(200)
                .text("claimedBy"));
        api.post(base + "/claim", moderator.token(), Map.of()).expect(200);
        api.post(base + "/claim", other.token(), Map.of()).expectProblem(409);
        api.post(base + "/resolve", other.token(), Map.of("action", "approve")).expectProblem(409);
        api.delete(base + "/claim", other.token()).expectProblem(409);
        api.get("/api/moderation/queue?state=claimed", other.token()).expect(200);

        api.delete(base + "/claim", moderator.token()).expect(200);
        api.post(base + "/claim", other.token(), Map.of()).expect(200);
        api.post(base + "/resolve", other.token(), Map.of("action", "reject")).expect(200);
        api.post(base + "/resolve", other.token(), Map.of("action", "reject")).expectProblem(409);
        api.post(base + "/claim", moderator.token(), Map.of()).expectProblem(409);
        api.post(base + "/resolve", moderator.token(), Map.of("action", "maybe")).expectInvalid("action");
    }

    @Test
    void bulkResolveReportsAResultPerItem() {
        long a = newThreadPost("mildly rude bulk a");
        long b = newThreadPost("mildly rude bulk b");
        long c = newThreadPost("mildly rude bulk c");
        for (long id : new long[]{a, b, c}) {
            api.awaitModerated(id, author.token(), "flagged");
        }
        long itemA = itemFor(a).get("id").getLongValue();
        long itemB = itemFor(b).get("id").getLongValue();
        long itemC = itemFor(c).get("id").getLongValue();
        api.post("/api/moderation/queue/" + itemC + "/claim", api.withRole("mod", "moderator").token(), Map.of())
                .expect(200);

        var results = api.post("/api/moderation/queue/resolve", moderator.token(),
                map("ids", List.of(itemA, itemB, itemC, 999999999L), "action", "approve", "note", "fine"))
                .expect(200).json().get("results");
        assertEquals(200, results.get(0).get("status").getIntValue());
        assertEquals(200, results.get(1).get("status").getIntValue());
        assertEquals(409, results.get(2).get("status").getIntValue());
        assertEquals(409, results.get(2).get("problem").get("status").getIntValue());
        assertEquals(404, results.get(3).get("status").getIntValue());
        assertEquals("published", api.get("/api/posts/" + a, null).text("status"));
        assertEquals("published", api.get("/api/posts/" + b, null).text("status"));
        api.get("/api/posts/" + c, null).expectProblem(404);
    }

    @Test
    void theQueueFiltersByStateCategoryAndReason() {
        long flagged = newThreadPost("mildly rude filter");
        api.awaitModerated(flagged, author.token(), "flagged");
        String q = "/api/moderation/queue?category=" + slug;
        assertEquals(1, api.get(q, moderator.token()).json().get("items").size());
        assertEquals(1, api.get(q + "&reason=harassment", moderator.token()).json().get("items").size());
        assertEquals(1, api.get(q + "&reason=openai", moderator.token()).json().get("items").size());
        assertEquals(0, api.get(q + "&reason=report", moderator.token()).json().get("items").size());
        assertEquals(0, api.get(q + "&state=resolved", moderator.token()).json().get("items").size());
        api.get(q + "&state=nonsense", moderator.token()).expectInvalid("state");
    }

    @Test
    void policiesAreValidatedVersionedAndAdminOnly() {
        long before = api.get("/api/moderation/policy", moderator.token()).expect(200).json().get("version").getLongValue();
        api.put("/api/moderation/policy", moderator.token(), defaultPolicy()).expectProblem(403);
        api.put("/api/moderation/policy", api.adminToken(), map("thresholds", Map.of("spam", map("flag", 0.5)),
                "onProviderFailure", "ignore")).expectInvalid("thresholds.spam").expectInvalid("onProviderFailure");
        api.put("/api/moderation/policy", api.adminToken(), map("thresholds", Map.of("hate", map("flag", 1.5))))
                .expectInvalid("thresholds.hate.flag");
        var after = api.put("/api/moderation/policy", api.adminToken(), defaultPolicy()).expect(200).json();
        assertTrue(after.get("version").getLongValue() > before);
    }

    @Test
    void rulesAreValidatedAndAdminOnly() {
        api.put("/api/moderation/rules", moderator.token(), Map.of("rules", List.of())).expectProblem(403);
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of(
                Map.of("pattern", "(unclosed", "kind", "regex", "category", "hate", "score", 0.5),
                Map.of("pattern", "x", "kind", "glob", "category", "hate", "score", 0.5))))
                .expectInvalid("rules[1].kind");
        var current = api.get("/api/moderation/rules", moderator.token()).expect(200).json();
        assertTrue(current.get("rules").isArray());
    }

    @Test
    void theAuditAndStatsRecordAutomatedAndHumanActions() {
        long postId = newThreadPost("mildly rude audited");
        api.awaitModerated(postId, author.token(), "flagged");
        long itemId = itemFor(postId).get("id").getLongValue();
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(),
                Map.of("action", "approve", "note", "ok")).expect(200);

        JsonNode entries = api.get("/api/moderation/audit?postId=" + postId, moderator.token()).expect(200)
                .json().get("items");
        List<String> actions = new ArrayList<>();
        entries.values().forEach(e -> actions.add(e.get("actor").getStringValue() + ":" + e.get("action").getStringValue()));
        assertEquals(List.of(moderator.username() + ":review.approve", "system:decision"), actions);
        assertEquals(1, api.get("/api/moderation/audit?actor=" + moderator.username(), moderator.token())
                .json().get("items").size());

        JsonNode stats = api.get("/api/moderation/stats?since=2000-01-01T00:00:00Z", moderator.token()).expect(200).json();
        assertTrue(stats.get("decisions").get("flagged").getLongValue() >= 1);
        assertTrue(stats.get("categories").get("harassment").getLongValue() >= 1);
        assertTrue(stats.get("human").get("approve").getLongValue() >= 1);
        api.get("/api/moderation/stats?since=yesterday", moderator.token()).expectInvalid("since");
    }

    @Test
    void aMemberGets403OnEveryModerationEndpoint() {
        String token = author.token();
        api.get("/api/moderation/queue", token).expectProblem(403);
        api.get("/api/moderation/queue/1", token).expectProblem(403);
        api.post("/api/moderation/queue/1/claim", token, Map.of()).expectProblem(403);
        api.delete("/api/moderation/queue/1/claim", token).expectProblem(403);
        api.post("/api/moderation/queue/1/resolve", token, Map.of("action", "approve")).expectProblem(403);
        api.post("/api/moderation/queue/resolve", token, map("ids", List.of(1), "action", "approve")).expectProblem(403);
        api.get("/api/moderation/policy", token).expectProblem(403);
        api.put("/api/moderation/policy", token, defaultPolicy()).expectProblem(403);
        api.get("/api/moderation/rules", token).expectProblem(403);
        api.put("/api/moderation/rules", token, Map.of("rules", List.of())).expectProblem(403);
        api.get("/api/moderation/stats", token).expectProblem(403);
        api.get("/api/moderation/audit", token).expectProblem(403);
        api.get("/api/moderation/queue", null).expectProblem(401);
    }

    private long newThreadPost(String body) {
        return api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Thread " + Api.unique("t"),
                "body", body)).expect(201).json().get("firstPost").get("id").getLongValue();
    }

    private JsonNode itemFor(long postId) {
        for (String state : new String[]{"open", "claimed", "resolved"}) {
            for (JsonNode item : api.get("/api/moderation/queue?limit=100&state=" + state + "&category=" + slug,
                    moderator.token()).expect(200).json().get("items").values()) {
                if (item.get("post").get("id").getLongValue() == postId) {
                    return item;
                }
            }
        }
        throw new AssertionError("no review item for post " + postId);
    }

    static Map<String, Object> defaultPolicy() {
        Map<String, Object> thresholds = new java.util.LinkedHashMap<>();
        DefaultPolicy.get().thresholds().forEach((k, v) -> thresholds.put(k, map("flag", v.flag(), "reject", v.reject())));
        return map("thresholds", thresholds, "categoryOverrides", Map.of(), "onProviderFailure", "flag");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(v -> values.add(v.getStringValue()));
        return values;
    }
}

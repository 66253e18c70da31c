package dev.parley.console;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints added for the console (docs/api.md, "Console"): the decision timeline,
 * the policy preview and the list of reindex runs, with their role checks.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiTest extends FakeOpenAiApiTest {

    private static final String OPENAI_MODEL = "text-embedding-3-small";

    User author;
    User member;
    User moderator;
    String admin;
    String slug;
    long firstJob;

    @Override
    protected Map<String, String> properties() {
        // A random port: application.yml's 8080 may be taken by a service running on this machine.
        return Map.of("micronaut.server.port", "-1");
    }

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        openai.reset();
        openai.scoreWhenContains("mildly rude", "harassment", 0.6);
        openai.scoreWhenContains("utterly hateful", "hate", 0.95);
        admin = api.adminToken();
        api.put("/api/moderation/policy", admin, Policies.defaults()).expect(200);
        author = api.register("author");
        member = api.register("member");
        moderator = api.withRole("mod", "moderator");
        slug = api.category("console");
    }

    @AfterEach
    void tearDown() {
        // A run left running would keep embedding with the second model in later test classes.
        db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
        jobs.since(firstJob, "embed", "moderate", "reindex").drain();
    }

    @Test
    void theTimelineCountsDecisionsAndResolutionsInTheirHourAndDay() {
        long published = post("A friendly hello", "published");
        long flagged = post("This is mildly rude", "flagged");
        long rejected = post("Something utterly hateful", "rejected");
        long approved = post("Another mildly rude remark", "flagged");
        api.post("/api/moderation/queue/" + itemOf(approved) + "/resolve", moderator.token(),
                map("action", "approve", "note", "fine")).expect(200);
        // Move these decisions and the resolution to a quiet hour twenty days ago, where nothing else is.
        Instant at = Instant.now().minus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plus(13, ChronoUnit.HOURS)
                .plus(45, ChronoUnit.MINUTES);
        db.execute("UPDATE moderation_decisions SET created_at = ? WHERE post_id IN (?, ?, ?, ?)",
                Timestamp.from(at), published, flagged, rejected, approved);
        db.execute("UPDATE review_items SET resolved_at = ? WHERE post_id = ?", Timestamp.from(at), approved);

        Instant day = at.truncatedTo(ChronoUnit.DAYS);
        JsonNode hourly = api.get("/api/moderation/stats/timeline?bucket=hour&since=" + day + "&until="
                + day.plus(1, ChronoUnit.DAYS), moderator.token()).expect(200).json();
        assertEquals("hour", hourly.get("bucket").getStringValue());
        assertEquals(day.toString(), Instant.parse(hourly.get("since").getStringValue()).toString());
        JsonNode buckets = hourly.get("buckets");
        assertEquals(24, buckets.size(), "every hour of the day, empty ones included");
        JsonNode thirteen = buckets.get(13);
        assertEquals(day.plus(13, ChronoUnit.HOURS), Instant.parse(thirteen.get("start").getStringValue()));
        assertEquals(1, thirteen.get("decisions").get("published").getLongValue());
        assertEquals(2, thirteen.get("decisions").get("flagged").getLongValue());
        assertEquals(1, thirteen.get("decisions").get("rejected").getLongValue());
        assertEquals(2, thirteen.get("categories").get("harassment").getLongValue());
        assertEquals(1, thirteen.get("categories").get("hate").getLongValue());
        assertEquals(1, thirteen.get("human").get("approve").getLongValue());
        assertEquals(0, thirteen.get("human").get("reject").getLongValue());
        assertEquals(0, buckets.get(12).get("decisions").get("flagged").getLongValue());
        assertEquals(0, buckets.get(12).get("categories").size());

        JsonNode daily = api.get("/api/moderation/stats/timeline?bucket=day&since=" + day.minus(1, ChronoUnit.DAYS),
                moderator.token()).expect(200).json();
        assertEquals(22, daily.get("buckets").size(), "from the day before to today");
        JsonNode thatDay = daily.get("buckets").get(1);
        assertEquals(day, Instant.parse(thatDay.get("start").getStringValue()));
        assertEquals(2, thatDay.get("decisions").get("flagged").getLongValue());
        assertEquals(0, daily.get("buckets").get(0).get("decisions").get("flagged").getLongValue());
    }

    @Test
    void theTimelineDefaultsToTheLastDayHourlyAndRefusesBadRanges() {
        post("Fresh and friendly", "published");
        JsonNode recent = api.get("/api/moderation/stats/timeline", moderator.token()).expect(200).json();
        assertEquals(24, recent.get("buckets").size());
        JsonNode last = recent.get("buckets").get(23);
        assertTrue(last.get("decisions").get("published").getLongValue() >= 1, "this hour holds the new decision");
        assertEquals(30, api.get("/api/moderation/stats/timeline?bucket=day", moderator.token()).expect(200)
                .json().get("buckets").size());

        api.get("/api/moderation/stats/timeline?bucket=week", moderator.token()).expectInvalid("bucket");
        api.get("/api/moderation/stats/timeline?bucket=hour&since=2020-01-01T00:00:00Z", moderator.token())
                .expectInvalid("since");
        api.get("/api/moderation/stats/timeline?since=yesterday", moderator.token()).expectInvalid("since");
        api.get("/api/moderation/stats/timeline?since=" + Instant.now().plus(2, ChronoUnit.DAYS), moderator.token())
                .expectInvalid("since");
        api.get("/api/moderation/stats/timeline?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z",
                moderator.token()).expectInvalid("since");
        api.get("/api/moderation/stats/timeline?until=soon", moderator.token()).expectInvalid("until");
    }

    @Test
    void theTimelineIsForModerators() {
        api.get("/api/moderation/stats/timeline", member.token()).expectProblem(403);
        api.get("/api/moderation/stats/timeline", null).expectProblem(401);
        api.get("/api/moderation/stats/timeline", admin).expect(200);
    }

    @Test
    void aPreviewCountsWhatACandidatePolicyWouldDoToTheLastScoredPosts() {
        String other = api.category("other");
        post("A calm question", "published");
        post("This is mildly rude", "flagged");
        long hateful = post("Something utterly hateful", "rejected");
        postIn(other, "Also mildly rude, elsewhere", "flagged");
        String policyBefore = api.get("/api/moderation/policy", admin).expect(200).body();

        Map<String, Object> candidate = Policies.defaults();
        thresholds(candidate).put("harassment", map("flag", 0.7, "reject", null));
        candidate.put("categoryOverrides", Map.of(slug, Map.of("thresholds",
                Map.of("hate", map("flag", 0.5, "reject", null)))));
        JsonNode preview = api.post("/api/moderation/policy/preview", admin, map("policy", candidate, "last", 4))
                .expect(200).json();

        assertEquals(4, preview.get("considered").getIntValue());
        assertOutcomes(preview.get("current"), 1, 2, 1);
        assertOutcomes(preview.get("candidate"), 3, 1, 0);
        assertEquals(3, preview.get("changed").getLongValue(), "two rude posts published, the hateful one flagged");
        JsonNode harassment = preview.get("categories").get("harassment");
        assertEquals(2, harassment.get("current").get("flagged").getLongValue());
        assertEquals(0, harassment.get("candidate").get("flagged").getLongValue());
        JsonNode hate = preview.get("categories").get("hate");
        assertEquals(1, hate.get("current").get("rejected").getLongValue());
        assertEquals(0, hate.get("candidate").get("rejected").getLongValue());
        assertEquals(1, hate.get("candidate").get("flagged").getLongValue(), "the override of its forum category");
        assertEquals(13, preview.get("categories").size());

        assertEquals(policyBefore, api.get("/api/moderation/policy", admin).expect(200).body(),
                "a preview changes nothing");
        assertEquals("rejected", api.get("/api/posts/" + hateful, admin).expect(200).text("status"));

        JsonNode one = api.post("/api/moderation/policy/preview", admin, map("policy", candidate, "last", 1))
                .expect(200).json();
        assertEquals(1, one.get("considered").getIntValue());
        assertOutcomes(one.get("current"), 0, 1, 0);
    }

    @Test
    void aPreviewRefusesWhatAPutWouldRefuseAndIsForAdmins() {
        Map<String, Object> bad = Policies.defaults();
        thresholds(bad).put("hate", map("flag", 1.5, "reject", null));
        api.post("/api/moderation/policy/preview", admin, map("policy", bad)).expectInvalid("thresholds.hate.flag");
        api.post("/api/moderation/policy/preview", admin, map("last", 10)).expectInvalid("policy");
        api.post("/api/moderation/policy/preview", admin, map("policy", Policies.defaults(), "last", 0))
                .expectInvalid("last");
        api.post("/api/moderation/policy/preview", admin, map("policy", Policies.defaults(), "last", 5001))
                .expectInvalid("last");
        api.post("/api/moderation/policy/preview", moderator.token(), map("policy", Policies.defaults()))
                .expectProblem(403);
        api.post("/api/moderation/policy/preview", member.token(), map("policy", Policies.defaults()))
                .expectProblem(403);
        api.post("/api/moderation/policy/preview", null, map("policy", Policies.defaults())).expectProblem(401);
    }

    @Test
    void reindexRunsAreListedNewestFirstWithTheirProgress() {
        post("Something to embed", "published");
        // Throttled to one post a second so that each run is still running when cancelled.
        long first = api.post("/api/admin/reindex", admin, map("model", OPENAI_MODEL, "scope", "all", "maxPerSecond", 1.0))
                .expect(202).json().get("id").getLongValue();
        JsonNode listed = api.get("/api/admin/reindex?limit=5", admin).expect(200).json();
        JsonNode running = listed.get("items").get(0);
        assertEquals(first, running.get("id").getLongValue());
        assertEquals("running", running.get("state").getStringValue());
        assertEquals(OPENAI_MODEL, running.get("model").getStringValue());
        assertTrue(running.get("total").getIntValue() >= 1);
        assertNotNull(running.get("perSecond"));
        api.delete("/api/admin/reindex/" + first, admin).expect(200);
        long second = api.post("/api/admin/reindex", admin, map("model", OPENAI_MODEL, "scope", "all", "maxPerSecond", 1.0))
                .expect(202).json().get("id").getLongValue();
        api.delete("/api/admin/reindex/" + second, admin).expect(200);

        JsonNode page1 = api.get("/api/admin/reindex?limit=1", admin).expect(200).json();
        assertEquals(List.of(second), ids(page1));
        assertEquals("cancelled", page1.get("items").get(0).get("state").getStringValue());
        assertTrue(page1.get("items").get(0).get("etaSeconds").isNull(), "a finished run has no ETA");
        String cursor = page1.get("nextCursor").getStringValue();
        JsonNode page2 = api.get("/api/admin/reindex?limit=1&cursor=" + cursor, admin).expect(200).json();
        assertEquals(List.of(first), ids(page2));

        api.get("/api/admin/reindex?limit=0", admin).expectInvalid("limit");
        api.get("/api/admin/reindex?cursor=not-a-cursor", admin).expectProblem(400);
        api.get("/api/admin/reindex", moderator.token()).expectProblem(403);
        api.get("/api/admin/reindex", member.token()).expectProblem(403);
        api.get("/api/admin/reindex", null).expectProblem(401);
    }

    private long post(String body, String expectedStatus) {
        return postIn(slug, body, expectedStatus);
    }

    private long postIn(String category, String body, String expectedStatus) {
        long id = api.post("/api/threads", author.token(), map("category", category, "title", "Thread " + Api.unique("t"),
                "body", body)).expect(201).json().get("firstPost").get("id").getLongValue();
        api.awaitModerated(id, author.token(), expectedStatus);
        return id;
    }

    private long itemOf(long postId) {
        return (Long) db.value("SELECT id FROM review_items WHERE post_id = ? AND state <> 'resolved'", postId);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> thresholds(Map<String, Object> policy) {
        return (Map<String, Object>) policy.get("thresholds");
    }

    private static void assertOutcomes(JsonNode outcomes, long published, long flagged, long rejected) {
        Map<String, Long> actual = new LinkedHashMap<>();
        actual.put("published", outcomes.get("published").getLongValue());
        actual.put("flagged", outcomes.get("flagged").getLongValue());
        actual.put("rejected", outcomes.get("rejected").getLongValue());
        assertEquals(map("published", published, "flagged", flagged, "rejected", rejected), actual);
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new java.util.ArrayList<>();
        page.get("items").values().forEach(n -> ids.add(n.get("id").getLongValue()));
        return ids;
    }
}

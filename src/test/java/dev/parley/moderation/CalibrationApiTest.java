package dev.parley.moderation;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.Db;
import dev.parley.support.FakeOpenAiApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import static dev.parley.moderation.ModerationApiTest.defaultPolicy;
import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration from moderator outcomes on a set seeded through the real flow: the fake provider
 * scores each post, the moderation job flags it, a moderator approves or rejects it over HTTP.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CalibrationApiTest extends FakeOpenAiApiTest {

    /** Harassment scores of the flagged posts and what the moderator did: 3 approved, 6 rejected. */
    private static final Object[][] HARASSMENT = {
            {0.52, "approve"}, {0.55, "approve"}, {0.58, "reject"}, {0.60, "approve"}, {0.65, "reject"},
            {0.70, "reject"}, {0.75, "reject"}, {0.80, "reject"}, {0.85, "reject"}};

    private User author;
    private User moderator;
    private String slug;
    private Instant seededFrom;

    @BeforeAll
    void seed() {
        api = new Api(server, json);
        db = new Db(environment);
        seededFrom = Instant.now().minusSeconds(1);
        api.put("/api/moderation/policy", api.adminToken(), defaultPolicy()).expect(200);
        author = api.register("calib");
        moderator = api.withRole("calibmod", "moderator");
        slug = api.category("calib");
        for (Object[] seeded : HARASSMENT) {
            openai.scoreWhenContains(marker(seeded[0]), "harassment", (double) seeded[0]);
        }
        // The post at 0.70 also crosses hate's flag threshold (0.4); another flags hate alone.
        openai.scoreWhenContains(marker(0.70), "hate", 0.45);
        openai.scoreWhenContains("calib-hate-only", "hate", 0.50);
        // Below violence's flag threshold (0.6): published, then reported and rejected: a miss.
        openai.scoreWhenContains("calib-missed", "violence", 0.30);

        for (Object[] seeded : HARASSMENT) {
            resolve(flagged("Sample " + marker(seeded[0])), (String) seeded[1]);
        }
        resolve(flagged("Sample calib-hate-only"), "approve");
        long missed = post("Sample calib-missed");
        api.awaitModerated(missed, author.token(), "published");
        api.post("/api/posts/" + missed + "/report", api.register("reporter").token(), map("reason", "threatening"))
                .expect(202);
        resolve(missed, "reject");
        // Harassment's threshold in this forum category is changed after the fact: the table shows the one in force.
        Map<String, Object> policy = defaultPolicy();
        policy.put("categoryOverrides", Map.of(slug, Map.of("thresholds", Map.of("harassment", map("flag", 0.55, "reject", 0.9)))));
        api.put("/api/moderation/policy", api.adminToken(), policy).expect(200);
    }

    @AfterAll
    void restore() {
        api.put("/api/moderation/policy", api.adminToken(), defaultPolicy()).expect(200);
    }

    @Test
    void countsPrecisionAndTheSuggestedThresholdPerHarmAndForumCategory() {
        JsonNode report = calibration("precision=0.9");
        assertEquals(0.9, report.get("target").getDoubleValue(), 1e-12);
        assertEquals(5, report.get("minItems").getIntValue());

        JsonNode harassment = row(report, "harassment");
        assertEquals(3, harassment.get("approved").getLongValue(), "false positives");
        assertEquals(6, harassment.get("rejected").getLongValue());
        assertEquals(9, harassment.get("resolved").getLongValue());
        assertEquals(6.0 / 9, harassment.get("precision").getDoubleValue(), 1e-9);
        assertEquals(0, harassment.get("missed").getLongValue());
        assertEquals(0.55, harassment.get("threshold").get("flag").getDoubleValue(), 1e-12, "the override in force now");
        assertEquals(0.9, harassment.get("threshold").get("reject").getDoubleValue(), 1e-12);
        // At 0.58: 6 of 7; at 0.60: 5 of 6; at 0.65: 5 of 5, the lowest reaching 0.9.
        assertEquals("suggested", harassment.get("status").getStringValue());
        JsonNode suggestion = harassment.get("suggestion");
        assertEquals(0.65, suggestion.get("flag").getDoubleValue(), 1e-12);
        assertEquals(5, suggestion.get("resolved").getLongValue());
        assertEquals(5, suggestion.get("rejected").getLongValue());
        assertEquals(0, suggestion.get("approved").getLongValue());
        assertEquals(1.0, suggestion.get("precision").getDoubleValue(), 1e-12);

        JsonNode hate = row(report, "hate");
        assertEquals(1, hate.get("approved").getLongValue());
        assertEquals(1, hate.get("rejected").getLongValue());
        assertEquals(0.5, hate.get("precision").getDoubleValue(), 1e-12);
        assertEquals("too-few-items", hate.get("status").getStringValue());
        assertTrue(hate.get("suggestion") == null || hate.get("suggestion").isNull());

        JsonNode violence = row(report, "violence");
        assertEquals(1, violence.get("missed").getLongValue(), "published, reported, rejected");
        assertEquals(0, violence.get("resolved").getLongValue());
        assertTrue(violence.get("precision").isNull());
        assertEquals(3, rowsOf(report), "no other harm category has evidence here");
    }

    @Test
    void aLowerTargetSuggestsALowerThreshold() {
        JsonNode suggestion = row(calibration("precision=0.85"), "harassment").get("suggestion");
        assertEquals(0.58, suggestion.get("flag").getDoubleValue(), 1e-12, "6 of 7 reach 0.85");
        assertEquals(7, suggestion.get("resolved").getLongValue());
        assertEquals(1, suggestion.get("approved").getLongValue());
    }

    @Test
    void aTargetOfOneNeedsNoApprovalAtOrAboveTheThreshold() {
        assertEquals(0.65, row(calibration("precision=1"), "harassment").get("suggestion").get("flag").getDoubleValue(), 1e-12);
    }

    @Test
    void thePeriodBoundsTheResolutionsCounted() {
        JsonNode before = api.get("/api/moderation/calibration?since=2020-01-01T00:00:00Z&until=" + seededFrom,
                moderator.token()).expect(200).json();
        assertEquals(0, rowsOf(before));
    }

    @Test
    void parametersAreValidatedAndMembersRefused() {
        api.get("/api/moderation/calibration?precision=0", moderator.token()).expectInvalid("precision");
        api.get("/api/moderation/calibration?precision=1.5", moderator.token()).expectInvalid("precision");
        api.get("/api/moderation/calibration?precision=high", moderator.token()).expectInvalid("precision");
        api.get("/api/moderation/calibration?since=yesterday", moderator.token()).expectInvalid("since");
        api.get("/api/moderation/calibration?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
                moderator.token()).expectInvalid("since");
        api.get("/api/moderation/calibration", author.token()).expectProblem(403);
        api.get("/api/moderation/calibration", null).expectProblem(401);
    }

    private JsonNode calibration(String query) {
        return api.get("/api/moderation/calibration?since=" + seededFrom + "&" + query, moderator.token())
                .expect(200).json();
    }

    private JsonNode row(JsonNode report, String harm) {
        for (JsonNode row : report.get("rows").values()) {
            if (row.get("forumCategory").getStringValue().equals(slug) && row.get("harmCategory").getStringValue().equals(harm)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + harm + " in " + slug);
    }

    private int rowsOf(JsonNode report) {
        int count = 0;
        for (JsonNode row : report.get("rows").values()) {
            if (row.get("forumCategory").getStringValue().equals(slug)) {
                count++;
            }
        }
        return count;
    }

    private static String marker(Object score) {
        return String.format(Locale.ROOT, "calib-h%03d", Math.round((double) score * 100));
    }

    private long post(String body) {
        return api.post("/api/threads", author.token(), map("category", slug, "title", "Thread " + Api.unique("c"),
                "body", body)).expect(201).json().get("firstPost").get("id").getLongValue();
    }

    private long flagged(String body) {
        long postId = post(body);
        api.awaitModerated(postId, author.token(), "flagged");
        return postId;
    }

    private void resolve(long postId, String action) {
        Object itemId = db.value("SELECT id FROM review_items WHERE post_id = ? AND state <> 'resolved'", postId);
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(), map("action", action, "note", "calibration"))
                .expect(200);
    }
}

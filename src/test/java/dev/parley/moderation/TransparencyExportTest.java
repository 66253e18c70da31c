package dev.parley.moderation;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.parley.moderation.ModerationApiTest.defaultPolicy;
import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transparency export's lines for each kind of restriction, made through the real flow (fake
 * provider, moderation job, moderator over HTTP), and its paging over rows inserted directly.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransparencyExportTest extends FakeOpenAiApiTest {

    private User author;
    private User moderator;
    private String slug;

    @BeforeEach
    void setUp() {
        openai.reset();
        openai.scoreWhenContains("mildly rude", "harassment", 0.6);
        openai.scoreWhenContains("battle", "violence", 0.7);
        openai.scoreWhenContains("utterly hateful", "hate", 0.95);
        api.put("/api/moderation/policy", api.adminToken(), defaultPolicy()).expect(200);
        author = api.register("sor");
        moderator = api.withRole("sormod", "moderator");
        slug = api.category("sor");
    }

    @Test
    void eachKindOfRestrictionIsAStatementOfReasonsWithTheDsaFields() {
        Instant since = Instant.now().minusSeconds(1);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        long rejected = post("Something utterly hateful");
        api.awaitModerated(rejected, author.token(), "rejected");
        long approved = post("mildly rude but fair");
        api.awaitModerated(approved, author.token(), "flagged");
        resolve(approved, "approve");
        long removed = post("mildly rude words about a battle");
        api.awaitModerated(removed, author.token(), "flagged");
        long removedItem = resolve(removed, "reject");
        long reported = post("A calm post that members dislike");
        api.awaitModerated(reported, author.token(), "published");
        api.post("/api/posts/" + reported + "/report", api.register("reporter").token(),
                map("reason", "my neighbour's phone number is in it")).expect(202);
        long reportedItem = resolve(reported, "reject");

        Api.Res res = api.get("/api/moderation/decisions/export?since=" + since, api.adminToken()).expect(200);
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"),
                res.headers().toString());
        assertTrue(res.body().endsWith("\n"), "every line ends in a newline");
        Map<String, JsonNode> byPuid = new LinkedHashMap<>();
        for (JsonNode line : lines(res.body())) {
            byPuid.put(line.get("puid").getStringValue(), line);
        }

        // Rejected by the automated moderation: removed, fully automated.
        JsonNode auto = byPuid.get("parley-decision-" + decisionId(rejected));
        assertNotNull(auto, byPuid.keySet().toString());
        assertEquals(List.of("DECISION_VISIBILITY_CONTENT_REMOVED"), strings(auto.get("decision_visibility")));
        assertTrue(auto.get("decision_visibility_other").isNull());
        assertEquals("DECISION_GROUND_INCOMPATIBLE_CONTENT", auto.get("decision_ground").getStringValue());
        assertEquals("Thresholds of the forum's moderation policy, version " + policyVersion(),
                auto.get("incompatible_content_ground").getStringValue());
        assertEquals("Automated classification: hate 0.95 (reject threshold 0.80).",
                auto.get("incompatible_content_explanation").getStringValue());
        assertEquals("No", auto.get("incompatible_content_illegal").getStringValue());
        assertEquals(List.of("CONTENT_TYPE_TEXT"), strings(auto.get("content_type")));
        assertEquals("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", auto.get("category").getStringValue());
        assertEquals(List.of(), strings(auto.get("category_addition")));
        assertEquals(List.of("KEYWORD_HATE_SPEECH"), strings(auto.get("category_specification")));
        assertEquals(30, auto.get("territorial_scope").size(), "the EEA");
        assertEquals(today, auto.get("content_date").getStringValue());
        assertEquals(today, auto.get("application_date").getStringValue());
        assertTrue(auto.get("end_date_visibility_restriction").isNull());
        assertTrue(auto.get("decision_facts").getStringValue().contains("rejected under moderation policy version"));
        assertEquals("SOURCE_VOLUNTARY", auto.get("source_type").getStringValue());
        assertEquals("Yes", auto.get("automated_detection").getStringValue());
        assertEquals("AUTOMATED_DECISION_FULLY", auto.get("automated_decision").getStringValue());
        JsonNode origin = auto.get("parley");
        assertEquals("automated", origin.get("kind").getStringValue());
        assertEquals(rejected, origin.get("post_id").getLongValue());
        assertEquals(1, origin.get("post_version").getIntValue());
        assertEquals("rejected", origin.get("decision").getStringValue());

        // Flagged, then approved: held back until the approval, which ends the restriction.
        JsonNode held = byPuid.get("parley-decision-" + decisionId(approved));
        assertEquals(List.of("DECISION_VISIBILITY_OTHER"), strings(held.get("decision_visibility")));
        assertEquals("Held back from publication until a moderator reviews it",
                held.get("decision_visibility_other").getStringValue());
        assertEquals(today, held.get("end_date_visibility_restriction").getStringValue());
        assertEquals("STATEMENT_CATEGORY_CYBER_VIOLENCE", held.get("category").getStringValue());
        assertEquals(List.of("KEYWORD_CYBER_HARASSMENT"), strings(held.get("category_specification")));
        assertEquals("AUTOMATED_DECISION_FULLY", held.get("automated_decision").getStringValue());
        assertEquals("flagged", held.get("parley").get("decision").getStringValue());
        assertFalse(byPuid.values().stream().anyMatch(l -> l.get("parley").get("kind").getStringValue().equals("moderator")
                && l.get("parley").get("post_id").getLongValue() == approved), "an approval restricts nothing");

        // Flagged by two harm categories, then removed by a moderator: two statements.
        JsonNode flag = byPuid.get("parley-decision-" + decisionId(removed));
        assertEquals("STATEMENT_CATEGORY_VIOLENCE", flag.get("category").getStringValue(), "the highest score first");
        assertEquals(List.of("STATEMENT_CATEGORY_CYBER_VIOLENCE"), strings(flag.get("category_addition")));
        assertEquals(List.of("KEYWORD_CYBER_HARASSMENT"), strings(flag.get("category_specification")));
        assertTrue(flag.get("end_date_visibility_restriction").isNull(), "never lifted: removed instead");
        JsonNode human = byPuid.get("parley-review-" + removedItem);
        assertEquals(List.of("DECISION_VISIBILITY_CONTENT_REMOVED"), strings(human.get("decision_visibility")));
        assertEquals("Yes", human.get("automated_detection").getStringValue());
        assertEquals("AUTOMATED_DECISION_PARTIALLY", human.get("automated_decision").getStringValue());
        assertEquals("SOURCE_VOLUNTARY", human.get("source_type").getStringValue());
        assertEquals("STATEMENT_CATEGORY_VIOLENCE", human.get("category").getStringValue());
        assertEquals("A moderator reviewed the post after automated flagging and removed it.",
                human.get("decision_facts").getStringValue());
        assertEquals("moderator", human.get("parley").get("kind").getStringValue());
        assertEquals("rejected", human.get("parley").get("decision").getStringValue());

        // Published, reported, removed by a moderator: a notice, no automation, no harm category.
        JsonNode notice = byPuid.get("parley-review-" + reportedItem);
        assertEquals("SOURCE_TYPE_OTHER_NOTIFICATION", notice.get("source_type").getStringValue());
        assertEquals("No", notice.get("automated_detection").getStringValue());
        assertEquals("AUTOMATED_DECISION_NOT_AUTOMATED", notice.get("automated_decision").getStringValue());
        assertEquals("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", notice.get("category").getStringValue());
        assertEquals(List.of(), strings(notice.get("category_specification")));
        assertFalse(res.body().contains("phone number"), "a member's report text is not the platform's reasons");
        assertFalse(res.body().contains("mildly rude"), "nor is the post's text");
        assertFalse(byPuid.values().stream().anyMatch(l -> l.get("parley").get("post_id").getLongValue() == reported
                && l.get("parley").get("kind").getStringValue().equals("automated")), "publishing restricts nothing");
    }

    @Test
    void aLongExportIsCompleteInOrderAcrossPagesAndBoundedByThePeriod() {
        long postId = api.thread(author, slug, "Paging", "A calm paging post").get("firstPost").get("id").getLongValue();
        // Inserted directly: 1,203 restrictions through the flow would take minutes. Ten share each
        // instant, so pages end inside a run of equal times; one falls after the period.
        Instant base = Instant.parse("2001-03-04T00:00:00Z");
        int rows = 1203;
        db.execute("""
                INSERT INTO moderation_decisions (post_id, post_version, provider, model, scores, policy_version,
                                                  fired, decision, created_at)
                SELECT ?, 1000 + i, 'openai', 'test', '{"harassment": 0.95}'::jsonb, 0,
                       '[{"category": "harassment", "score": 0.95, "threshold": 0.9, "level": "reject", "source": "openai"}]'::jsonb,
                       'rejected', CAST(? AS timestamptz) + (i / 10) * interval '1 second'
                  FROM generate_series(0, ? - 1) i""", postId, base.toString(), rows);
        db.execute("""
                INSERT INTO moderation_decisions (post_id, post_version, provider, model, scores, policy_version,
                                                  fired, decision, created_at)
                VALUES (?, 5000, 'openai', 'test', '{}'::jsonb, 0, '[]'::jsonb, 'flagged', ?)""",
                postId, Timestamp.from(base.plusSeconds(3600)));

        Api.Res res = api.get("/api/moderation/decisions/export?since=" + base + "&until=" + base.plusSeconds(3600),
                api.adminToken()).expect(200);
        assertTrue(res.headers().firstValue("Content-Length").isEmpty(), "sent as it is read, not measured first");
        assertEquals("no-store", res.headers().firstValue("Cache-Control").orElse(null));
        String body = res.body();
        List<JsonNode> lines = lines(body);
        assertEquals(rows, lines.size());
        Set<Long> versions = new HashSet<>();
        Instant previous = Instant.MIN;
        for (JsonNode line : lines) {
            Instant at = Instant.parse(line.get("parley").get("at").getStringValue());
            assertFalse(at.isBefore(previous), "in time order");
            previous = at;
            versions.add(line.get("parley").get("post_version").getLongValue());
            assertEquals("2001-03-04", line.get("application_date").getStringValue());
        }
        assertEquals(rows, versions.size(), "each restriction once");
    }

    @Test
    void sinceDefaultsToADayAndIsValidated() {
        api.get("/api/moderation/decisions/export", api.adminToken()).expect(200);
        api.get("/api/moderation/decisions/export?since=last-week", api.adminToken()).expectInvalid("since");
        api.get("/api/moderation/decisions/export?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
                api.adminToken()).expectInvalid("since");
    }

    @Test
    void onlyAdminsExport() {
        api.get("/api/moderation/decisions/export", moderator.token()).expectProblem(403);
        api.get("/api/moderation/decisions/export", author.token()).expectProblem(403);
        api.get("/api/moderation/decisions/export", null).expectProblem(401);
    }

    private long post(String body) {
        return api.post("/api/threads", author.token(), map("category", slug, "title", "Thread " + Api.unique("s"),
                "body", body)).expect(201).json().get("firstPost").get("id").getLongValue();
    }

    private long resolve(long postId, String action) {
        long itemId = ((Number) db.value("SELECT id FROM review_items WHERE post_id = ? AND state <> 'resolved'", postId))
                .longValue();
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(), map("action", action, "note", "n"))
                .expect(200);
        return itemId;
    }

    private long decisionId(long postId) {
        return db.count("SELECT id FROM moderation_decisions WHERE post_id = ? AND post_version = 1", postId);
    }

    private long policyVersion() {
        return db.count("SELECT max(version) FROM moderation_policies");
    }

    private List<JsonNode> lines(String body) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                lines.add(json.readValue(line, JsonNode.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(v -> values.add(v.getStringValue()));
        return values;
    }
}

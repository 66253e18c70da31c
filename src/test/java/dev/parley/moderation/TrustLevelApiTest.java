package dev.parley.moderation;

import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.SettableClock;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trust levels and new-account gating over HTTP (docs/moderation.md, "Trust levels"): the policy's
 * newAccounts rules, the automatic rise when an author's post is decided, moderators setting levels,
 * and the rule named in the decision record, the review item and the audit. Account age passes on a
 * settable clock; the rise criteria are the shipped defaults (basic: 1 published post, 1 day, no
 * rejection for 7 days).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustLevelApiTest extends FakeOpenAiApiTest {

    @Inject
    SettableClock clock;

    User author;
    User moderator;
    String slug;
    long firstJob;

    @Override
    protected Map<String, String> properties() {
        return Map.of("parley.test.settable-clock", "true");
    }

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        openai.reset();
        openai.scoreWhenContains("a bit snarky", "harassment", 0.3);
        author = api.register("newbie");
        moderator = api.withRole("trustmod", "moderator");
        slug = api.category("trust");
    }

    @AfterEach
    void awaitOwnJobs() {
        jobs.since(firstJob, "moderate").awaitFinished();
        // The next test (and class) starts without gating.
        api.put("/api/moderation/policy", api.adminToken(), policy(null, Map.of())).expect(200);
    }

    @AfterAll
    void makeQueuedJobsDue() {
        // Jobs queued at the advanced clock's time: due now for the next classes' real-time workers.
        db.execute("UPDATE jobs SET run_at = now() WHERE state = 'queued' AND run_at > now()");
    }

    @Test
    void aNewAccountsFirstPostIsHeldForReviewAndItsPostsArePublishedOnceItsLevelRises() {
        api.put("/api/moderation/policy", api.adminToken(),
                policy(map("belowLevel", 1, "reviewFirstPosts", 3), Map.of())).expect(200);
        assertEquals(0, api.get("/api/me", author.token()).expect(200).json().get("trustLevel").getIntValue());

        long first = newThreadPost(author, slug, "Hello, a first friendly question");
        api.awaitModerated(first, author.token(), "flagged");
        JsonNode item = itemFor(first);
        JsonNode trust = reason(item, "trust");
        assertEquals("new-account review", trust.get("category").getStringValue());
        assertEquals("new-account review: post 1 of first 3 at level 0", trust.get("detail").getStringValue());
        assertEquals(author.username(), item.get("author").get("username").getStringValue());
        assertEquals(0, item.get("author").get("trustLevel").getIntValue());
        assertEquals(List.of("new-account review: post 1 of first 3 at level 0"),
                strings(item.get("moderation").get("rules")));
        assertEquals(List.of("new-account review: post 1 of first 3 at level 0"),
                strings(decisionAudit(first).get("detail").get("rules")));
        assertEquals(1, db.count("SELECT count(*) FROM moderation_decisions WHERE post_id = ?"
                + " AND rules @> '[{\"kind\": \"new-account review\", \"post\": 1, \"of\": 3, \"level\": 0}]'", first));
        approve(first);

        // A second post on the same day: one published post, but the account is not a day old yet.
        long threadId = api.get("/api/posts/" + first, author.token()).expect(200).json().get("threadId").getLongValue();
        long second = reply(author, threadId, "A friendly follow-up");
        api.awaitModerated(second, author.token(), "flagged");
        assertEquals("new-account review: post 2 of first 3 at level 0",
                reason(itemFor(second), "trust").get("detail").getStringValue());
        approve(second);
        assertEquals(0, api.get("/api/me", author.token()).json().get("trustLevel").getIntValue());

        clock.advance(Duration.ofDays(1).plusMinutes(1));
        long third = reply(author, threadId, "A third friendly reply, a day later");
        JsonNode published = api.awaitModerated(third, author.token(), "published");
        assertEquals("published", published.get("moderation").get("decision").getStringValue());
        assertEquals(1, api.get("/api/me", author.token()).json().get("trustLevel").getIntValue());
        assertEquals(List.of(), strings(api.get("/api/posts/" + third, moderator.token()).json()
                .get("moderation").get("rules")), "no new-account rule applied");

        JsonNode raise = audit(third, "trust.raise");
        assertEquals("system", raise.get("actor").getStringValue());
        assertEquals(author.username(), raise.get("detail").get("user").getStringValue());
        assertEquals(0, raise.get("detail").get("from").getIntValue());
        assertEquals(1, raise.get("detail").get("to").getIntValue());
    }

    @Test
    void stricterThresholdsForNewAccountsApplyInOneCategoryAndNotAnother() {
        String strict = api.category("newcomers");
        api.put("/api/moderation/policy", api.adminToken(), policy(null, Map.of(strict, map("thresholds", Map.of(),
                "newAccounts", map("belowLevel", 1, "thresholds", Map.of("harassment", map("flag", 0.2, "reject", 0.6))))))
        ).expect(200);

        long inStrict = newThreadPost(author, strict, "a bit snarky remark");
        long elsewhere = newThreadPost(author, slug, "a bit snarky remark");
        api.awaitModerated(inStrict, author.token(), "flagged");
        api.awaitModerated(elsewhere, author.token(), "published");

        JsonNode item = itemFor(inStrict, strict);
        JsonNode fired = reason(item, "openai");
        assertEquals("harassment", fired.get("category").getStringValue());
        assertEquals(0.3, fired.get("score").getDoubleValue(), 1e-9);
        assertEquals(0.2, fired.get("threshold").getDoubleValue(), 1e-9);
        assertEquals("new-account thresholds (level 0 < 1)", reason(item, "trust").get("detail").getStringValue());
        assertEquals(0, api.get("/api/posts/" + elsewhere, moderator.token()).json().get("moderation").get("rules").size());

        // Staff are never new, and an account a moderator raised is no longer new.
        User established = api.register("established");
        api.put("/api/admin/users/" + established.username() + "/trust-level", moderator.token(), map("level", 1))
                .expect(200);
        api.awaitModerated(newThreadPost(established, strict, "a bit snarky remark"), established.token(), "published");
        api.awaitModerated(newThreadPost(moderator, strict, "a bit snarky remark"), moderator.token(), "published");
    }

    @Test
    void aModeratorSetsALevelAuditedAndAMemberCannot() {
        String path = "/api/admin/users/" + author.username() + "/trust-level";
        User member = api.register("bystander");
        api.put(path, member.token(), map("level", 3)).expectProblem(403);
        api.put(path, null, map("level", 3)).expectProblem(401);
        api.put(path, moderator.token(), map("level", 4)).expectInvalid("level");
        api.put("/api/admin/users/nobody-" + Api.unique("x") + "/trust-level", moderator.token(), map("level", 1))
                .expectProblem(404);
        api.put("/api/admin/users/" + Api.ADMIN + "/trust-level", moderator.token(), map("level", 1)).expectProblem(403);
        assertEquals(0, api.get("/api/me", author.token()).json().get("trustLevel").getIntValue());

        JsonNode user = api.put(path, moderator.token(), map("level", 2)).expect(200).json();
        assertEquals(2, user.get("trustLevel").getIntValue());
        assertTrue(user.get("trustLevelLocked").getBooleanValue());
        assertEquals(2, api.get("/api/me", author.token()).json().get("trustLevel").getIntValue());

        JsonNode entry = api.get("/api/moderation/audit?actor=" + moderator.username(), moderator.token()).expect(200)
                .json().get("items").get(0);
        assertEquals("trust.set", entry.get("action").getStringValue());
        assertEquals(author.username(), entry.get("detail").get("user").getStringValue());
        assertEquals(0, entry.get("detail").get("from").getIntValue());
        assertEquals(2, entry.get("detail").get("to").getIntValue());
        assertTrue(entry.get("detail").get("locked").getBooleanValue());
    }

    @Test
    void aLevelAModeratorLockedDoesNotRiseUntilUnlocked() {
        api.put("/api/moderation/policy", api.adminToken(),
                policy(map("belowLevel", 1, "reviewFirstPosts", 5), Map.of())).expect(200);
        String path = "/api/admin/users/" + author.username() + "/trust-level";
        api.put(path, moderator.token(), map("level", 0)).expect(200);
        long first = newThreadPost(author, slug, "Locked at zero, first");
        api.awaitModerated(first, author.token(), "flagged");
        approve(first);
        clock.advance(Duration.ofDays(2));

        long second = newThreadPost(author, slug, "Locked at zero, second");
        api.awaitModerated(second, author.token(), "flagged");
        assertEquals(0, api.get("/api/me", author.token()).json().get("trustLevel").getIntValue(),
                "earned basic, but the moderator's lock holds");
        approve(second);

        api.put(path, moderator.token(), map("level", 0, "locked", false)).expect(200);
        api.awaitModerated(newThreadPost(author, slug, "Unlocked, third"), author.token(), "published");
        assertEquals(1, api.get("/api/me", author.token()).json().get("trustLevel").getIntValue());
    }

    @Test
    void newAccountRulesAreValidatedLikeTheRestOfThePolicy() {
        api.put("/api/moderation/policy", api.adminToken(), policy(map("belowLevel", 5, "reviewFirstPosts", -1,
                "thresholds", Map.of("hate", map("flag", 2.0), "spam", map("flag", 0.1))), Map.of("general",
                map("newAccounts", map("reviewFirstPosts", 2)))))
                .expectInvalid("newAccounts.belowLevel")
                .expectInvalid("newAccounts.reviewFirstPosts")
                .expectInvalid("newAccounts.thresholds.hate.flag")
                .expectInvalid("newAccounts.thresholds.spam")
                .expectInvalid("categoryOverrides.general.newAccounts.belowLevel");

        api.put("/api/moderation/policy", api.adminToken(), policy(map("belowLevel", 2, "reviewFirstPosts", 3,
                "thresholds", Map.of("hate", map("flag", 0.2, "reject", null))), Map.of())).expect(200);
        JsonNode stored = api.get("/api/moderation/policy", moderator.token()).expect(200).json().get("newAccounts");
        assertEquals(2, stored.get("belowLevel").getIntValue());
        assertEquals(3, stored.get("reviewFirstPosts").getIntValue());
        assertEquals(0.2, stored.get("thresholds").get("hate").get("flag").getDoubleValue(), 1e-9);
        JsonNode defaults = api.put("/api/moderation/policy", api.adminToken(), policy(null, Map.of())).expect(200).json();
        assertFalse(defaults.get("newAccounts") != null && !defaults.get("newAccounts").isNull(),
                "no gating unless the policy asks for it");
    }

    private long newThreadPost(User user, String category, String body) {
        return api.post("/api/threads", user.token(), Map.of("category", category, "title", "Thread " + Api.unique("t"),
                "body", body)).expect(201).json().get("firstPost").get("id").getLongValue();
    }

    private long reply(User user, long threadId, String body) {
        return api.post("/api/threads/" + threadId + "/posts", user.token(), Map.of("body", body)).expect(201).id();
    }

    private void approve(long postId) {
        api.post("/api/moderation/queue/" + itemFor(postId).get("id").getLongValue() + "/resolve", moderator.token(),
                Map.of("action", "approve", "note", "welcome")).expect(200);
        assertEquals("published", api.get("/api/posts/" + postId, null).expect(200).text("status"));
    }

    private JsonNode itemFor(long postId) {
        return itemFor(postId, slug);
    }

    private JsonNode itemFor(long postId, String category) {
        for (JsonNode item : api.get("/api/moderation/queue?limit=100&category=" + category, moderator.token())
                .expect(200).json().get("items").values()) {
            if (item.get("post").get("id").getLongValue() == postId) {
                return item;
            }
        }
        throw new AssertionError("no open review item for post " + postId);
    }

    private static JsonNode reason(JsonNode item, String source) {
        for (JsonNode reason : item.get("reasons").values()) {
            if (reason.get("source").getStringValue().equals(source)) {
                return reason;
            }
        }
        throw new AssertionError("no " + source + " reason in " + item);
    }

    private JsonNode decisionAudit(long postId) {
        return audit(postId, "decision");
    }

    private JsonNode audit(long postId, String action) {
        for (JsonNode entry : api.get("/api/moderation/audit?postId=" + postId, moderator.token()).expect(200)
                .json().get("items").values()) {
            if (entry.get("action").getStringValue().equals(action)) {
                return entry;
            }
        }
        throw new AssertionError("no " + action + " audit entry for post " + postId);
    }

    /** The default thresholds with these new-account rules and category overrides. */
    private static Map<String, Object> policy(Map<String, Object> newAccounts, Map<String, Object> overrides) {
        Map<String, Object> thresholds = new LinkedHashMap<>();
        DefaultPolicy.get().thresholds().forEach((k, v) -> thresholds.put(k, map("flag", v.flag(), "reject", v.reject())));
        Map<String, Object> policy = map("thresholds", thresholds, "categoryOverrides", overrides,
                "onProviderFailure", "flag");
        if (newAccounts != null) {
            policy.put("newAccounts", newAccounts);
        }
        return policy;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(v -> values.add(v.getStringValue()));
        return values;
    }
}

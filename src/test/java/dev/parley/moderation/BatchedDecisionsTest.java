package dev.parley.moderation;

import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A claimed batch of moderation jobs is decided in one transaction (texts locked together, human
 * verdicts looked up together, audit rows written together) with the same outcome, post by post, as
 * deciding each alone. The workers are driven by hand, so every job of a test shares one batch.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchedDecisionsTest extends ApiTest implements TestPropertyProvider {

    @Inject
    WorkerPools pools;
    @Inject
    ModerationService moderation;
    @Inject
    DecisionRecorder recorder;
    @Inject
    ModerationScorer scorer;
    @Inject
    PolicyService policies;
    @Inject
    TransactionOperations<Connection> transactions;

    private User author;
    private User moderator;
    private String slug;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("parley.pipeline.workers-enabled", "false", "parley.pipeline.batch-size", "16");
    }

    @BeforeEach
    void setUp() {
        author = api.register("batched-author");
        moderator = api.withRole("batched-mod", "moderator");
        slug = api.category("batched-decisions");
        api.put("/api/moderation/rules", api.adminToken(), Map.of("rules", List.of(
                Map.of("pattern", "buy cheap pills", "kind", "phrase", "category", "illicit", "score", 0.7),
                Map.of("pattern", "kill yourself", "kind", "phrase", "category", "harassment", "score", 0.95))))
                .expect(200);
    }

    @Test
    void aBatchWithMixedOutcomesAndAHumanDecisionDecidesEachPostAsAlone() {
        // A post a moderator approved, then queued for a rescan: the moderator's verdict must stand.
        long approved = post("buy cheap pills, the approved one");
        runDue();
        assertEquals("flagged", status(approved));
        long itemId = db.count("SELECT id FROM review_items WHERE post_id = ? AND state <> 'resolved'", approved);
        api.post("/api/moderation/queue/" + itemId + "/resolve", moderator.token(), Map.of("action", "approve"))
                .expect(200);
        assertEquals("published", status(approved));

        long clean = post("a perfectly normal post");
        long flagged = post("buy cheap pills here");
        long rejected = post("just kill yourself");
        transactions.executeWrite(status -> {
            moderation.rescan(approved, 1);
            return null;
        });
        assertEquals(4, db.count("SELECT count(*) FROM jobs WHERE kind = 'moderate' AND state = 'queued' "
                + "AND (payload ->> 'postId')::bigint IN (?, ?, ?, ?)", approved, clean, flagged, rejected));
        runDue();

        assertEquals("published", status(clean));
        assertEquals("flagged", status(flagged));
        assertEquals("rejected", status(rejected));
        assertEquals("published", status(approved));
        for (long id : List.of(clean, flagged, rejected)) {
            assertEquals(1, db.count("SELECT count(*) FROM moderation_decisions WHERE post_id = ?", id));
            assertEquals(1, db.count("SELECT count(*) FROM moderation_audit WHERE post_id = ? AND action = 'decision'",
                    id));
        }
        assertEquals(1, db.count("SELECT count(*) FROM review_items WHERE post_id = ? AND state <> 'resolved'",
                flagged));
        // The approved post keeps its one automated decision (the flag) and gets no rescan decision.
        assertEquals("flagged", db.value("SELECT decision FROM moderation_decisions WHERE post_id = ?", approved));
        assertEquals(0, db.count("SELECT count(*) FROM moderation_audit WHERE post_id = ? AND action = 'decision.rescan'",
                approved));
    }

    @Test
    void aBatchRecordedTwiceWritesEachDecisionOnce() {
        long decided = post("an ordinary reply about bread");
        runDue();
        long fresh = post("buy cheap pills, but only once");
        List<DecisionRecorder.Scoring> batch = scorings(List.of(
                new ModerationTask(decided, 1, true, "rules", Subject.POST),
                new ModerationTask(fresh, 1, false, "rules", Subject.POST)));

        // As when a worker dies after the batch's commit and before its jobs are marked done: run again.
        recorder.recordAll(batch, scorer.rulesOnly(texts(batch)), policies.current(), false);
        recorder.recordAll(batch, scorer.rulesOnly(texts(batch)), policies.current(), false);

        assertEquals("published", status(decided));
        assertEquals("flagged", status(fresh));
        for (long id : List.of(decided, fresh)) {
            assertEquals(1, db.count("SELECT count(*) FROM moderation_decisions WHERE post_id = ?", id));
            assertEquals(1, db.count("SELECT count(*) FROM moderation_audit WHERE post_id = ? AND action LIKE 'decision%'",
                    id));
        }
        assertEquals(1, db.count("SELECT count(*) FROM review_items WHERE post_id = ?", fresh));
    }

    @Test
    void anAuthorsPostPublishedEarlierInTheBatchCountsForTheirLaterOne() {
        // The basic level takes one published post and a day-old account: whichever post the batch decides
        // first earns it for the other, as when each is decided alone (the authors' records are read once
        // per batch). A claimed batch's order is the claim's, not necessarily the posts' ids.
        User newcomer = api.register("batched-newcomer");
        db.execute("UPDATE users SET created_at = now() - interval '2 days' WHERE id = ?", newcomer.id());
        long first = post(newcomer, "a first ordinary question about sourdough");
        long second = post(newcomer, "a second ordinary question about sourdough");
        runDue();

        assertEquals("published", status(first));
        assertEquals("published", status(second));
        assertEquals(1, db.count("SELECT trust_level FROM users WHERE id = ?", newcomer.id()));
        assertEquals(1, db.count("SELECT count(*) FROM moderation_audit WHERE post_id IN (?, ?)"
                + " AND action = 'trust.raise'", first, second), "one rise, on the post decided second");
        assertEquals(1, db.count("SELECT count(*) FROM moderation_audit WHERE post_id IN (?, ?)"
                + " AND action = 'trust.raise' AND (detail ->> 'publishedPosts')::int = 1", first, second));
    }

    private List<DecisionRecorder.Scoring> scorings(List<ModerationTask> tasks) {
        ModerationScorer.Scored scored = scorer.rulesOnly(tasks.stream().map(t -> body(t.postId())).toList());
        return java.util.stream.IntStream.range(0, tasks.size())
                .mapToObj(i -> new DecisionRecorder.Scoring(tasks.get(i), scored.results().get(i))).toList();
    }

    private List<String> texts(List<DecisionRecorder.Scoring> batch) {
        return batch.stream().map(s -> body(s.task().postId())).toList();
    }

    private String body(long postId) {
        return (String) db.value("SELECT body FROM posts WHERE id = ?", postId);
    }

    private void runDue() {
        try (WorkerPool pool = pools.create("batched-decisions-test")) {
            while (pool.runDue() > 0) {
                // moderation, then the embedding it queues, until nothing is due
            }
        }
    }

    private long post(String body) {
        return post(author, body);
    }

    private long post(User by, String body) {
        JsonNode created = api.post("/api/threads", by.token(), Map.of("category", slug, "title", "Batched",
                "body", body)).expect(201).json();
        return created.get("firstPost").get("id").getLongValue();
    }

    private String status(long postId) {
        return (String) db.value("SELECT status FROM posts WHERE id = ?", postId);
    }
}

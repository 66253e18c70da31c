package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ActiveModels;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.Waits;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.parley.support.Api.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reindex runs over HTTP, with OpenAI (the fake) as the second model to switch to. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReindexApiTest extends FakeOpenAiApiTest {

    private static final String SECOND_MODEL = "text-embedding-3-small";

    @Inject
    IndexHousekeeping housekeeping;

    User author;
    String slug;
    long firstJob;

    @Override
    protected Map<String, String> properties() {
        // The fake's key enables OpenAI models for runs; moderation uses the fake too, which publishes these texts.
        return Map.of("parley.reindex.batch-size", "16");
    }

    @BeforeEach
    void setUp() {
        firstJob = jobs.mark();
        author = api.register("indexer");
        slug = api.category("reindex");
    }

    @AfterEach
    void restore() {
        openai.delayEveryAnswer(Duration.ZERO);
        db.execute("UPDATE reindex_runs SET state = 'cancelled', finished_at = now() WHERE state = 'running'");
        jobs.since(firstJob, "moderate", "embed", "reindex").drain();
        ActiveModels.set(db, ActiveModels.LOCAL);
    }

    @Test
    void aStaleRunEmbedsOnlyWhatChanged() {
        long missing = firstPost(api.thread(author, slug, "Sailing dinghies", "Which dinghy for a beginner sailor?"));
        long outdated = firstPost(api.thread(author, slug, "Mountain huts", "Do alpine huts need a reservation?"));
        long untouched = firstPost(api.thread(author, slug, "Board games", "Which board game for four players?"));
        awaitIdle();
        db.execute("DELETE FROM post_embeddings WHERE post_id = ?", missing);
        db.execute("UPDATE post_embeddings SET post_version = post_version - 1, embedded_at = '2000-01-01'"
                + " WHERE post_id = ?", outdated);
        Timestamp untouchedAt = embeddedAt(untouched);

        JsonNode run = start(map("scope", "stale"));
        assertEquals(ActiveModels.LOCAL, run.get("model").getStringValue());
        assertTrue(run.get("total").getIntValue() >= 2, "the missing and the outdated post are stale");
        JsonNode finished = awaitFinished(run.get("id").getLongValue());
        assertEquals("succeeded", finished.get("state").getStringValue());
        assertEquals(finished.get("total").getIntValue(), finished.get("done").getIntValue());
        assertNotNull(embeddedAt(missing));
        assertEquals(db.count("SELECT version FROM posts WHERE id = ?", outdated),
                db.count("SELECT post_version FROM post_embeddings WHERE post_id = ? AND chunk = 0 AND model = ?",
                        outdated, ActiveModels.LOCAL), "the outdated post is current again");
        assertEquals(untouchedAt, embeddedAt(untouched), "an up-to-date post is not embedded again");
    }

    @Test
    void anAllRunToASecondModelSwitchesSearchAtTheEndWhileSearchAnswersThroughout() throws Exception {
        api.thread(author, slug, "Walrus colonies", "Walrus colonies gather on the arctic ice floes.");
        awaitIdle();
        openai.resetCounters();
        // A slow model (every answer 50 ms late) keeps the run going past the first poll even over the few
        // posts of this class alone; unthrottled, batches follow each other within a job, so the thousands
        // of posts of the whole suite still finish well within the wait. (A throttled run queues each
        // batch as a delayed job, which the workers' 2 s poll picks up: minutes for thousands of posts.)
        openai.delayEveryAnswer(Duration.ofMillis(50));
        JsonNode run = start(map("model", SECOND_MODEL, "scope", "all"));
        long id = run.get("id").getLongValue();
        assertTrue(run.get("total").getIntValue() > 0);
        int[] searches = {0};
        Waits.until("run " + id + " to finish", () -> {
            // The model is read before the state: a run still going afterwards was going at the read.
            String active = ActiveModels.get(db);
            if (!state(id).equals("running")) {
                return true;
            }
            assertEquals(ActiveModels.LOCAL, active, "search stays on the active model during the run");
            var during = api.get("/api/search?q=arctic+walrus&category=" + slug, null).expect(200).json();
            assertEquals("Walrus colonies", during.get("results").get(0).get("thread").get("title").getStringValue());
            searches[0]++;
            return false;
        });
        openai.delayEveryAnswer(Duration.ZERO);
        assertEquals("succeeded", state(id));
        assertTrue(searches[0] > 0, "searched while the run was going");
        JsonNode done = api.get("/api/admin/reindex/" + id, api.adminToken()).expect(200).json();
        assertEquals(done.get("total").getIntValue(), done.get("done").getIntValue());
        assertTrue(done.get("perSecond").getDoubleValue() > 0);
        assertEquals(SECOND_MODEL, ActiveModels.get(db), "the run switched search to the new model");
        // Counted in chunks, not posts (a long post of an earlier test class has more than one), and
        // without the query of a search that read the model just as the run switched it.
        long chunkInputs = openai.embeddingBatches().stream().flatMap(List::stream)
                .filter(text -> !text.equals("arctic walrus")).count();
        assertEquals(db.count("SELECT count(*) FROM post_embeddings WHERE model = ? AND embedded_at >= "
                + "(SELECT started_at FROM reindex_runs WHERE id = ?)", SECOND_MODEL, id), chunkInputs,
                "every chunk embedded once");

        int before = openai.embeddingRequests();
        var after = api.get("/api/search?q=arctic+walrus&category=" + slug, null).expect(200).json();
        assertEquals("Walrus colonies", after.get("results").get(0).get("thread").get("title").getStringValue());
        assertEquals(before + 1, openai.embeddingRequests(), "the query is embedded by the new model");
        assertTrue(db.count("SELECT count(*) FROM post_embeddings WHERE model = ?", ActiveModels.LOCAL) > 0,
                "the previous model's vectors stay, so switching back is possible");
    }

    @Test
    void aRunCanBeCancelledAndASecondRunForTheSameModelIsAConflict() throws Exception {
        for (int i = 0; i < 3; i++) {
            api.thread(author, slug, "Cancel me " + i, "slow reindex post " + i);
        }
        awaitIdle();
        JsonNode run = start(map("scope", "all", "maxPerSecond", 2.0));
        long id = run.get("id").getLongValue();
        api.post("/api/admin/reindex", api.adminToken(), map("scope", "stale")).expectProblem(409);

        JsonNode cancelled = api.delete("/api/admin/reindex/" + id, api.adminToken()).expect(200).json();
        assertEquals("cancelled", cancelled.get("state").getStringValue());
        assertNotNull(cancelled.get("finishedAt").getStringValue());
        int doneAtCancel = cancelled.get("done").getIntValue();
        // The batch in flight ends, and the next one, made due now, sees the cancellation.
        jobs.ofRun(id).drain();
        JsonNode later = api.get("/api/admin/reindex/" + id, api.adminToken()).expect(200).json();
        assertEquals("cancelled", later.get("state").getStringValue());
        assertTrue(later.get("done").getIntValue() <= doneAtCancel + 16, "at most the batch in flight finishes");
        start(map("scope", "stale"));
    }

    @Test
    void runsAreValidatedAndAdminOnly() {
        api.post("/api/admin/reindex", api.adminToken(), map("scope", "some")).expectInvalid("scope");
        api.post("/api/admin/reindex", api.adminToken(), map("scope", "all", "model", "no-such-model!"))
                .expectInvalid("model");
        api.post("/api/admin/reindex", api.adminToken(), map("scope", "all", "maxPerSecond", -1))
                .expectInvalid("maxPerSecond");
        api.post("/api/admin/reindex", api.withRole("mod", "moderator").token(), map("scope", "all"))
                .expectProblem(403);
        api.get("/api/admin/reindex/999999999", api.adminToken()).expectProblem(404);
        api.get("/api/admin/reindex/1", author.token()).expectProblem(403);
    }

    @Test
    void theSweepFillsAGapLeftByADeletedEmbedding() {
        long postId = firstPost(api.thread(author, slug, "Glacier hiking", "Crampons or microspikes for glaciers?"));
        awaitIdle();
        db.execute("DELETE FROM post_embeddings WHERE post_id = ?", postId);
        assertTrue(housekeeping.sweep() >= 1);
        awaitIdle();
        assertEquals(1, db.count("SELECT count(*) FROM post_embeddings WHERE post_id = ? AND model = ?", postId,
                ActiveModels.LOCAL));
        var found = api.get("/api/search?q=crampons&mode=keyword&category=" + slug, null).expect(200).json();
        assertEquals(1, found.get("results").size());
    }

    private JsonNode start(Map<String, Object> body) {
        return api.post("/api/admin/reindex", api.adminToken(), body).expect(202).json();
    }

    private String state(long id) {
        return api.get("/api/admin/reindex/" + id, api.adminToken()).expect(200).text("state");
    }

    private JsonNode awaitFinished(long id) {
        Waits.until("run " + id + " to finish", () -> !state(id).equals("running"));
        return api.get("/api/admin/reindex/" + id, api.adminToken()).json();
    }

    private Timestamp embeddedAt(long postId) {
        var values = db.column("SELECT embedded_at FROM post_embeddings WHERE post_id = ? AND model = ? AND chunk = 0",
                postId, ActiveModels.LOCAL);
        return values.isEmpty() ? null : (Timestamp) values.get(0);
    }

    private static long firstPost(JsonNode thread) {
        return thread.get("firstPost").get("id").getLongValue();
    }

    /** Waits until this test's posts are moderated and embedded and its runs' batches have ended. */
    private void awaitIdle() {
        jobs.since(firstJob, "moderate", "embed", "reindex").awaitFinished();
    }
}

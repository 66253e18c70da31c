package dev.parley.search;

import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.ActiveModels;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAi;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.SettableClock;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Embedding jobs during a 10-minute outage of the (fake) OpenAI embeddings endpoint, with time on a
 * settable clock and due jobs run by hand: they retry until their attempts are used up and are then
 * parked, not dead, and stop calling the provider; when it answers again they run and their posts are
 * found by search, without the hourly sweep.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParkedEmbeddingsTest extends FakeOpenAiApiTest {

    private static final String MODEL = "text-embedding-3-small@256";
    private static final Duration OUTAGE = Duration.ofMinutes(10);
    private static final Duration STEP = Duration.ofSeconds(15);

    @Inject
    WorkerPools pools;
    @Inject
    SettableClock clock;
    @Inject
    ParkedEmbeddings parked;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.embedding.provider", "openai",
                "parley.embedding.model", "text-embedding-3-small",
                "parley.embedding.dimensions", "256",
                // The test probes by hand.
                "parley.embedding.probe-interval", "1h",
                "parley.moderation.provider", "rules",
                "parley.pipeline.workers-enabled", "false",
                "parley.test.settable-clock", "true");
    }

    @BeforeEach
    void useTheOpenAiModel() {
        ActiveModels.set(db, MODEL);
    }

    @AfterEach
    void backToTheLocalModel() {
        openai.recover();
        ActiveModels.set(db, ActiveModels.LOCAL);
    }

    @Test
    void embeddingJobsOutlastATenMinuteOutageParkedAndTheProbeResumesThem() {
        String slug = api.category("parked");
        List<Long> posts = postDuringOutage(slug, "probe");
        try (WorkerPool workers = pools.create("parked-probe")) {
            outage(workers, posts);

            openai.recover();
            clock.advance(STEP);
            workers.runDue();
            assertEquals(posts.size(), parkedCount(posts), "parked jobs wait for the probe, not the clock");
            assertTrue(parked.probe() >= posts.size(), "the probe gets an answer and queues them");
            workers.runDue();
        }
        assertSearchable(slug, posts, "probe");
    }

    @Test
    void theNextSuccessfulEmbeddingResumesParkedJobs() {
        String slug = api.category("parked");
        List<Long> posts = postDuringOutage(slug, "resume");
        try (WorkerPool workers = pools.create("parked-success")) {
            outage(workers, posts);

            openai.recover();
            // A new post's embedding succeeds: the provider answers again, so the parked jobs are queued.
            User author = api.register("after");
            api.post("/api/threads", author.token(), Map.of("category", slug, "title", "After the outage",
                    "body", "written once the provider answered again")).expect(201);
            for (int i = 0; i < 5; i++) {
                workers.runDue();
                clock.advance(STEP);
            }
        }
        assertSearchable(slug, posts, "resume");
    }

    private List<Long> postDuringOutage(String slug, String word) {
        openai.failAlwaysEmbeddings(FakeOpenAi.Failure.status(503));
        User author = api.register("outage");
        List<Long> posts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            posts.add(api.post("/api/threads", author.token(), Map.of("category", slug,
                    "title", "Outage thread " + word + " " + i, "body", "walrus " + word + " number " + i))
                    .expect(201).json().get("firstPost").get("id").getLongValue());
        }
        return posts;
    }

    /** Ten minutes of a failing provider, due jobs run every step. */
    private void outage(WorkerPool workers, List<Long> posts) {
        for (Duration passed = Duration.ZERO; passed.compareTo(OUTAGE) < 0; passed = passed.plus(STEP)) {
            workers.runDue();
            clock.advance(STEP);
        }
        workers.runDue();
        assertEquals(posts.size(), parkedCount(posts), "every embedding job is parked: " + jobStates(posts));
        assertEquals(0, count(posts, "dead"), "none is dead");
        int requests = openai.embeddingRequests();
        clock.advance(Duration.ofMinutes(30));
        workers.runDue();
        assertEquals(requests, openai.embeddingRequests(), "parked jobs do not call the failing provider");
        assertEquals(posts.size(), parkedCount(posts));
    }

    private void assertSearchable(String slug, List<Long> posts, String word) {
        assertEquals(0, count(posts, "parked"), jobStates(posts).toString());
        assertEquals(0, count(posts, "dead"), jobStates(posts).toString());
        assertEquals(posts.size(), count(posts, "succeeded"), jobStates(posts).toString());
        for (long post : posts) {
            assertEquals(1, db.count("SELECT count(*) FROM post_embeddings WHERE model = ? AND post_id = ? AND chunk = 0",
                    MODEL, post), "post " + post + " has its vector");
        }
        var results = api.get("/api/search?q=walrus+" + word + "&category=" + slug, null).expect(200).json()
                .get("results");
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            titles.add(results.get(i).get("thread").get("title").getStringValue());
        }
        for (int i = 0; i < posts.size(); i++) {
            assertTrue(titles.contains("Outage thread " + word + " " + i),
                    "every post written during the outage is found: " + titles);
        }
    }

    private long parkedCount(List<Long> posts) {
        return count(posts, "parked");
    }

    private long count(List<Long> posts, String state) {
        return db.count("SELECT count(*) FROM jobs WHERE kind = 'embed' AND state = ?"
                + " AND (payload->>'postId')::bigint = ANY(?)", state, posts.toArray(Long[]::new));
    }

    private List<Object> jobStates(List<Long> posts) {
        return db.column("SELECT id || ' ' || state || ' ' || attempts || ' ' || coalesce(last_error, '') FROM jobs"
                + " WHERE kind = 'embed' AND (payload->>'postId')::bigint = ANY(?)", (Object) posts.toArray(Long[]::new));
    }
}

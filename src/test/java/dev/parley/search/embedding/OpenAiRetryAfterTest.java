package dev.parley.search.embedding;

import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.ActiveModels;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import dev.parley.support.FakeOpenAi.Failure;
import dev.parley.support.SettableClock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 429 from OpenAI's embeddings endpoint, through langchain4j and the transport that keeps its headers, reaches
 * the pipeline's retry-later path with the delay OpenAI asked for. Workers and time are driven by hand.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiRetryAfterTest extends FakeOpenAiApiTest {

    private static final String MODEL = "text-embedding-3-small@256";
    private static final String EMBED_JOB = "kind = 'embed' AND (payload ->> 'postId')::bigint = ?";

    @Inject
    WorkerPools pools;
    @Inject
    SettableClock clock;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.openai.api-key", "sk-test-retry-after",
                "parley.embedding.provider", "openai",
                "parley.embedding.model", "text-embedding-3-small",
                "parley.embedding.dimensions", "256",
                "parley.pipeline.workers-enabled", "false",
                "parley.test.settable-clock", "true");
    }

    @BeforeEach
    void useTheOpenAiModel() {
        ActiveModels.set(db, MODEL);
    }

    @AfterEach
    void backToTheLocalModel() {
        ActiveModels.set(db, ActiveModels.LOCAL);
    }

    @Test
    void aRateLimitedEmbeddingWaitsTheRetryAfterWithoutUsingAnAttemptAndThenEmbeds() {
        User author = api.register("patient");
        String slug = api.category("retry-after");
        long postId = api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Waiting politely",
                "body", "a post embedded after a rate limit")).expect(201).json().get("firstPost").get("id")
                .getLongValue();
        openai.resetCounters();
        openai.failNextEmbedding(Failure.rateLimited(7));

        try (WorkerPool pool = pools.create("retry-after-test")) {
            runUntilIdle(pool);

            assertEquals(1, openai.embeddingRequests(), "langchain4j does not retry on its own");
            assertEquals(Duration.ofSeconds(7), Duration.between(clock.instant(), runAt(postId)));
            assertEquals(0, db.count("SELECT attempts FROM jobs WHERE " + EMBED_JOB, postId));
            assertTrue(String.valueOf(db.value("SELECT last_error FROM jobs WHERE " + EMBED_JOB, postId))
                    .contains("429"), "the deferral is recorded");

            clock.advance(Duration.ofSeconds(6));
            runUntilIdle(pool);
            assertEquals(1, openai.embeddingRequests(), "not asked again before the delay is over");

            clock.advance(Duration.ofSeconds(1));
            runUntilIdle(pool);
        }
        assertEquals(2, openai.embeddingRequests());
        assertEquals("succeeded", db.value("SELECT state FROM jobs WHERE " + EMBED_JOB, postId));
        assertEquals(1, db.count("SELECT count(*) FROM post_embeddings WHERE model = ? AND post_id = ?",
                MODEL, postId));
    }

    /** Moderation publishes the post and queues its embedding job, which then runs in a later round. */
    private static void runUntilIdle(WorkerPool pool) {
        int rounds = 0;
        int ran;
        do {
            ran = pool.runDue();
        } while (ran > 0 && ++rounds < 10);
    }

    private java.time.Instant runAt(long postId) {
        return ((Timestamp) db.value("SELECT run_at FROM jobs WHERE " + EMBED_JOB, postId)).toInstant();
    }
}

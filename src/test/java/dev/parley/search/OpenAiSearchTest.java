package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ActiveModels;
import dev.parley.support.ApiTest;
import dev.parley.support.FakeOpenAi;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search with OpenAI embeddings, played by the fake server that counts requests. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiSearchTest extends ApiTest implements TestPropertyProvider {

    private static final FakeOpenAi OPENAI = FakeOpenAi.start();

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "parley.openai.api-key", "sk-test-key",
                "parley.openai.base-url", OPENAI.baseUrl(),
                "parley.embedding.provider", "openai",
                "parley.embedding.model", "text-embedding-3-small",
                "parley.embedding.dimensions", "256",
                "parley.pipeline.workers-enabled", "false");
    }

    @AfterAll
    void stopFake() {
        OPENAI.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void useTheOpenAiModel() {
        ActiveModels.set(db, "text-embedding-3-small@256");
    }

    @org.junit.jupiter.api.AfterEach
    void backToTheLocalModel() {
        ActiveModels.set(db, ActiveModels.LOCAL);
    }

    @Test
    void postsAreEmbeddedInBatchedRequestsAndSearchedByTheirVectors() throws Exception {
        User author = api.register("batcher");
        String slug = api.category("openai");
        long firstJob = jobs.mark();
        for (int i = 0; i < 40; i++) {
            api.post("/api/threads", author.token(), Map.of("category", slug, "title", "Topic number " + i,
                    "body", i == 17 ? "walrus colony on the arctic ice" : "ordinary forum chatter " + i)).expect(201);
        }
        OPENAI.resetCounters();
        // The workers start only now, so that the queued jobs are claimed in batches.
        try (var pool = server.getApplicationContext().getBean(dev.parley.pipeline.WorkerPools.class)
                .create("openai-search-test")) {
            pool.start();
            jobs.since(firstJob, "moderate", "embed").awaitFinished();
        }
        assertEquals(40, OPENAI.embeddingInputs());
        // Posts reach the embedder as moderation publishes them, a batch at a time, so embedding
        // batches vary in size; what matters is that one request carries many posts.
        int largest = OPENAI.embeddingBatches().stream().mapToInt(java.util.List::size).max().orElse(0);
        assertTrue(OPENAI.embeddingRequests() <= 20, "embedding requests: " + OPENAI.embeddingRequests());
        assertTrue(largest >= 8, "largest embedding batch: " + largest);
        assertEquals(256, OPENAI.lastEmbeddingDimensions());
        assertEquals(256, db.count("SELECT DISTINCT vector_dims(embedding) FROM post_embeddings WHERE model = ?",
                "text-embedding-3-small@256"));

        var results = api.get("/api/search?q=walrus+arctic&category=" + slug, null).expect(200).json().get("results");
        assertEquals("Topic number 17", results.get(0).get("thread").get("title").getStringValue());
    }
}

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
        // The workers run by hand only now: every post is moderated, then the embedding jobs that
        // publication queued are claimed 16 at a time (the default batch), one request per batch.
        try (var pool = server.getApplicationContext().getBean(dev.parley.pipeline.WorkerPools.class)
                .create("openai-search-test")) {
            while (pool.runDue() > 0) {
                // moderation, then the embedding it queues, until nothing is due
            }
        }
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
        assertEquals(40, OPENAI.embeddingInputs());
        assertEquals(java.util.List.of(16, 16, 8),
                OPENAI.embeddingBatches().stream().map(java.util.List::size).toList());
        assertEquals(256, OPENAI.lastEmbeddingDimensions());
        assertEquals(256, db.count("SELECT DISTINCT vector_dims(embedding) FROM post_embeddings WHERE model = ?",
                "text-embedding-3-small@256"));

        var results = api.get("/api/search?q=walrus+arctic&category=" + slug, null).expect(200).json().get("results");
        assertEquals("Topic number 17", results.get(0).get("thread").get("title").getStringValue());
    }
}

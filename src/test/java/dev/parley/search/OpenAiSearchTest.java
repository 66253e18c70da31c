package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ActiveModels;
import dev.parley.support.FakeOpenAiApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Search with OpenAI embeddings, played by the fake server that counts requests. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiSearchTest extends FakeOpenAiApiTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.embedding.provider", "openai",
                "parley.embedding.model", "text-embedding-3-small",
                "parley.embedding.dimensions", "256",
                "parley.pipeline.workers-enabled", "false");
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
        openai.resetCounters();
        // The workers run by hand only now: every post is moderated, then the embedding jobs that
        // publication queued are claimed 16 at a time (the default batch), one request per batch.
        try (var pool = server.getApplicationContext().getBean(dev.parley.pipeline.WorkerPools.class)
                .create("openai-search-test")) {
            while (pool.runDue() > 0) {
                // moderation, then the embedding it queues, until nothing is due
            }
        }
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
        assertEquals(40, openai.embeddingInputs());
        assertEquals(java.util.List.of(16, 16, 8),
                openai.embeddingBatches().stream().map(java.util.List::size).toList());
        assertEquals(256, openai.lastEmbeddingDimensions());
        assertEquals(256, db.count("SELECT DISTINCT vector_dims(embedding) FROM post_embeddings WHERE model = ?",
                "text-embedding-3-small@256"));

        var results = api.get("/api/search?q=walrus+arctic&category=" + slug, null).expect(200).json().get("results");
        assertEquals("Topic number 17", results.get(0).get("thread").get("title").getStringValue());
    }
}

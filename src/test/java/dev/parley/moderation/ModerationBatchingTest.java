package dev.parley.moderation;

import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import dev.parley.support.Api;
import dev.parley.support.Api.User;
import dev.parley.support.FakeOpenAiApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Posts queued together are scored together: one provider request per claimed batch of moderation
 * jobs. The workers are driven by hand, so the batches do not depend on how fast posts arrive.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModerationBatchingTest extends FakeOpenAiApiTest {

    @Inject
    WorkerPools pools;

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "parley.pipeline.workers-enabled", "false",
                "parley.pipeline.batch-size", "16",
                "parley.openai.max-inputs-per-request", "32");
    }

    @Test
    void queuedPostsAreScoredOneProviderRequestPerClaimedBatch() {
        User author = api.register("batched");
        String slug = api.category("batched");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(api.post("/api/threads", author.token(), Map.of("category", slug,
                    "title", "Thread " + Api.unique("t"), "body", "batch post " + i)).expect(201)
                    .json().get("firstPost").get("id").getLongValue());
        }
        openai.resetCounters();

        try (WorkerPool pool = pools.create("moderation-batching-test")) {
            while (pool.runDue() > 0) {
                // moderation, then the embedding it queues, until nothing is due
            }
        }

        ids.forEach(id -> assertEquals("published",
                api.get("/api/posts/" + id, author.token()).expect(200).json().get("status").getStringValue()));
        // 30 jobs claimed 16 at a time: two batches, each scored in one request (jobs another test
        // class left queued could share a batch, so count the requests that carry these posts).
        List<List<String>> ours = openai.moderationBatches().stream()
                .filter(batch -> batch.stream().anyMatch(text -> text.contains("batch post ")))
                .toList();
        assertEquals(30, ours.stream().flatMap(List::stream).filter(text -> text.contains("batch post ")).count());
        assertEquals(2, ours.size(), "requests carrying the 30 posts: " + ours.size());
    }
}

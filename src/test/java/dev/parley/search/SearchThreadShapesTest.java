package dev.parley.search;

import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search on a real thread shape: one thread with 300 posts that all sit as close to the query as
 * its first post (their vectors and keyword documents copied from it), beside 15 other threads that
 * match. A page of 10 must still hold 10 distinct threads, in every mode, with and without a category.
 */
@MicronautTest(transactional = false)
class SearchThreadShapesTest extends ApiTest {

    private static final String QUERY = "I forgot my password and the reset email never arrives";
    /** Every thread has these words; the big thread's title too, so its 300 posts rank first. */
    private static final String KEYWORDS = "password reset email";

    String slug;
    long big;
    final List<Long> others = new ArrayList<>();

    @BeforeEach
    void forumWithOneHugeThread() {
        long firstJob = jobs.mark();
        User author = api.register("shapes");
        slug = api.category("shapes");
        big = api.thread(author, slug, "Password reset email never arrives", QUERY).get("id").getLongValue();
        for (int i = 0; i < 15; i++) {
            others.add(api.thread(author, slug, "Password question " + i,
                    "Another password problem, number " + i + ": the password reset email is slow to come.")
                    .get("id").getLongValue());
        }
        jobs.since(firstJob, "moderate", "embed").awaitFinished();
        long firstPost = db.count("SELECT min(id) FROM posts WHERE thread_id = ?", big);
        // 299 published replies identical to the first post, with its vector and keyword document.
        db.execute("""
                WITH replies AS (
                    INSERT INTO posts (thread_id, author_id, body, status, created_at)
                    SELECT thread_id, author_id, body, 'published', now() FROM posts, generate_series(1, 299)
                     WHERE id = ? RETURNING id)
                , vectors AS (
                    INSERT INTO post_embeddings (model, post_id, chunk, post_version, digest, snippet, embedding,
                                                 embedded_at)
                    SELECT e.model, r.id, e.chunk, 1, e.digest, e.snippet, e.embedding, e.embedded_at
                      FROM replies r CROSS JOIN post_embeddings e WHERE e.post_id = ?)
                INSERT INTO search_documents (post_id, post_version, document, updated_at)
                SELECT r.id, 1, d.document, d.updated_at FROM replies r CROSS JOIN search_documents d
                 WHERE d.post_id = ?""", firstPost, firstPost, firstPost);
        db.execute("UPDATE threads SET post_count = 300 WHERE id = ?", big);
    }

    @Test
    void aThreadWithHundredsOfClosePostsLeavesRoomForTenThreadsInACategory() {
        for (String mode : new String[]{"semantic", "hybrid", "keyword"}) {
            List<Long> ids = threadIds(query(mode), mode, slug);
            assertEquals(10, ids.size(), mode + ": " + ids);
            assertEquals(10, new HashSet<>(ids).size(), mode + " repeats a thread: " + ids);
            assertTrue(ids.contains(big), mode + " leaves out the big thread: " + ids);
            ids.forEach(id -> assertTrue(id == big || others.contains(id), mode + " leaves the category: " + id));
        }
    }

    @Test
    void aThreadWithHundredsOfClosePostsLeavesRoomForTenThreadsAcrossCategories() {
        for (String mode : new String[]{"semantic", "hybrid", "keyword"}) {
            List<Long> ids = threadIds(query(mode), mode, null);
            assertEquals(10, ids.size(), mode + ": " + ids);
            assertEquals(10, new HashSet<>(ids).size(), mode + " repeats a thread: " + ids);
            assertTrue(ids.contains(big), mode + " leaves out the big thread: " + ids);
        }
    }

    @Test
    void aPageOfFiftyHoldsEveryMatchingThreadOnce() {
        for (String mode : new String[]{"semantic", "keyword"}) {
            List<Long> ids = threadIds(query(mode), mode, slug, 50);
            assertEquals(16, ids.size(), mode + ": " + ids);
            assertEquals(16, new HashSet<>(ids).size(), mode + " repeats a thread: " + ids);
        }
    }

    private static String query(String mode) {
        return mode.equals("keyword") ? KEYWORDS : QUERY;
    }

    private List<Long> threadIds(String q, String mode, String category) {
        return threadIds(q, mode, category, 10);
    }

    private List<Long> threadIds(String q, String mode, String category, int limit) {
        List<Long> ids = new ArrayList<>();
        JsonNode results = api.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&mode=" + mode
                + "&limit=" + limit + (category == null ? "" : "&category=" + category), null)
                .expect(200).json().get("results");
        results.values().forEach(r -> ids.add(r.get("thread").get("id").getLongValue()));
        return ids;
    }
}

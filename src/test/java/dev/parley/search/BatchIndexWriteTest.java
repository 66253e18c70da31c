package dev.parley.search;

import com.pgvector.PGvector;
import dev.parley.forum.PostSnapshot;
import dev.parley.forum.PostStatus;
import dev.parley.support.Api.User;
import dev.parley.support.ApiTest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A batch of posts is written with one statement per kind of change, and ends exactly as writing
 * the posts one by one would: new vectors stored float-exact, unchanged chunks moved to the new
 * version without a vector, chunks past a shortened post's end gone, one keyword document per post.
 * The vectors belong to a model of the test's own, so search never sees them.
 */
@MicronautTest(transactional = false)
class BatchIndexWriteTest extends ApiTest {

    private static final String MODEL = "test-batch-write";

    @Inject
    SearchIndexer indexer;
    @Inject
    EmbeddingRepository embeddings;

    private final List<Long> written = new ArrayList<>();

    @AfterEach
    void removeTestVectors() {
        written.forEach(postId -> embeddings.deleteFrom(MODEL, postId, 0));
    }

    @Test
    void aBatchWriteStoresEveryChunkAndAShorterVersionDropsItsTail() {
        User author = api.register("batchwrite");
        String slug = api.category("batchwrite");
        long mark = jobs.mark();
        PostSnapshot first = post(author, slug, "Batch thread one", 1);
        PostSnapshot second = post(author, slug, "Batch thread two", 1);
        // The posts' own moderation and embedding write their keyword documents: let them finish first.
        jobs.since(mark, "moderate", "embed").awaitFinished();
        float[] a0 = {1, 0.1f, 0};
        float[] a1 = {0.33333334f, 1.0e-7f, -2};
        float[] b0 = {0, 1, 0};

        indexer.writeAll(MODEL, List.of(
                new SearchIndexer.PostChunks(first, List.of(chunk(0, "a zero", a0), chunk(1, "a one", a1))),
                new SearchIndexer.PostChunks(second, List.of(chunk(0, "b zero", b0)))));

        assertArrayEquals(a0, vector(first.id(), 0));
        assertArrayEquals(a1, vector(first.id(), 1));
        assertArrayEquals(b0, vector(second.id(), 0));
        assertEquals(3, db.count("SELECT count(*) FROM post_embeddings WHERE model = ? AND post_version = 1"
                + " AND post_id IN (?, ?)", MODEL, first.id(), second.id()));
        assertEquals(2, db.count("SELECT count(*) FROM search_documents WHERE post_version = 1 AND post_id IN (?, ?)",
                first.id(), second.id()));

        // Version 2 of the first post keeps its first chunk and loses the second; the second post's text changed.
        PostSnapshot shorter = withVersion(first, 2);
        float[] b0New = {0, 0, 1};
        indexer.writeAll(MODEL, List.of(
                new SearchIndexer.PostChunks(shorter, List.of(new SearchIndexer.Chunk(0, "a zero", "digest-a zero",
                        null, false))),
                new SearchIndexer.PostChunks(withVersion(second, 2), List.of(chunk(0, "b zero, edited", b0New)))));

        assertEquals(1, db.count("SELECT count(*) FROM post_embeddings WHERE model = ? AND post_id = ?",
                MODEL, first.id()), "the chunk past the shorter version's end is gone");
        assertEquals(2, db.count("SELECT post_version FROM post_embeddings WHERE model = ? AND post_id = ? AND chunk = 0",
                MODEL, first.id()), "the unchanged chunk moved to the new version");
        assertArrayEquals(a0, vector(first.id(), 0), "an unchanged chunk keeps its vector");
        assertArrayEquals(b0New, vector(second.id(), 0));
        assertEquals("digest-b zero, edited", db.value(
                "SELECT digest FROM post_embeddings WHERE model = ? AND post_id = ? AND chunk = 0", MODEL, second.id()));
        assertEquals(2, db.count("SELECT count(*) FROM search_documents WHERE post_version = 2 AND post_id IN (?, ?)",
                first.id(), second.id()));
    }

    private PostSnapshot post(User author, String slug, String title, int version) {
        long threadId = api.thread(author, slug, title, "Text of " + title).get("id").getLongValue();
        long postId = db.count("SELECT min(id) FROM posts WHERE thread_id = ?", threadId);
        written.add(postId);
        return new PostSnapshot(postId, version, PostStatus.PUBLISHED, true, title, threadId, slug, author.id(),
                "Text of " + title);
    }

    private static PostSnapshot withVersion(PostSnapshot post, int version) {
        return new PostSnapshot(post.id(), version, post.status(), post.firstPost(), post.threadTitle(),
                post.threadId(), post.categorySlug(), post.authorId(), post.body());
    }

    private static SearchIndexer.Chunk chunk(int index, String text, float[] vector) {
        return new SearchIndexer.Chunk(index, text, "digest-" + text, vector, true);
    }

    private float[] vector(long postId, int chunk) {
        try {
            // pgvector prints floats in their shortest exact form, so the text round trip is exact.
            return new PGvector((String) db.value("SELECT embedding::text FROM post_embeddings"
                    + " WHERE model = ? AND post_id = ? AND chunk = ?", MODEL, postId, chunk)).toArray();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

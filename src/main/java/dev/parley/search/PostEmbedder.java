package dev.parley.search;

import dev.parley.forum.PostSnapshot;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds posts with one model: each post is split into chunks, chunks whose digest is already
 * stored are not embedded again (unless {@code force}), and the whole batch's rows and keyword
 * documents are written with a few multi-row statements in one transaction. The three steps are
 * separate so that a reindex run can embed its next batch while it writes the current one.
 */
@Singleton
class PostEmbedder {

    /** A batch of posts split into chunks, with the texts the model still has to embed, in order. */
    record Prepared(EmbeddingModel model, List<SearchIndexer.PostChunks> posts, List<String> toEmbed) {
    }

    private final SearchIndexer indexer;

    PostEmbedder(SearchIndexer indexer) {
        this.indexer = indexer;
    }

    /**
     * @return the posts that could not be written, with why; a failure of the model itself is thrown
     * @throws EmbeddingException when the model cannot answer
     */
    Map<Long, Exception> embed(EmbeddingModel model, List<PostSnapshot> posts, boolean force) {
        if (posts.isEmpty()) {
            return new HashMap<>();
        }
        return write(model.name(), vectors(prepare(model, posts, force)));
    }

    /** Chunks a batch and finds which chunks need the model (reads the stored digests unless {@code force}). */
    Prepared prepare(EmbeddingModel model, List<PostSnapshot> posts, boolean force) {
        Map<String, String> stored = force || posts.isEmpty() ? Map.of()
                : indexer.digests(model.name(), posts.stream().map(PostSnapshot::id).toList());
        List<SearchIndexer.PostChunks> prepared = new ArrayList<>(posts.size());
        List<String> toEmbed = new ArrayList<>();
        for (PostSnapshot post : posts) {
            List<String> texts = Chunker.chunks(post.text(), model);
            List<SearchIndexer.Chunk> list = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                String digest = ChunkDigests.digest(model.name(), texts.get(i));
                boolean changed = !digest.equals(stored.get(post.id() + "/" + i));
                list.add(new SearchIndexer.Chunk(i, texts.get(i), digest, null, changed));
                if (changed) {
                    toEmbed.add(texts.get(i));
                }
            }
            prepared.add(new SearchIndexer.PostChunks(post, list));
        }
        return new Prepared(model, prepared, toEmbed);
    }

    /**
     * Calls the model for the changed chunks (no database access, so it can run beside a write).
     *
     * @throws EmbeddingException when the model cannot answer
     */
    List<SearchIndexer.PostChunks> vectors(Prepared prepared) {
        List<float[]> vectors = prepared.toEmbed().isEmpty() ? List.of() : prepared.model().embed(prepared.toEmbed());
        int next = 0;
        List<SearchIndexer.PostChunks> embedded = new ArrayList<>(prepared.posts().size());
        for (SearchIndexer.PostChunks post : prepared.posts()) {
            List<SearchIndexer.Chunk> withVectors = new ArrayList<>(post.chunks().size());
            for (SearchIndexer.Chunk chunk : post.chunks()) {
                withVectors.add(chunk.changed() ? chunk.withVector(vectors.get(next++)) : chunk);
            }
            embedded.add(new SearchIndexer.PostChunks(post.post(), withVectors));
        }
        return embedded;
    }

    /**
     * Writes a batch in one transaction; when that fails, writes post by post so that one bad post
     * does not hold back the others.
     *
     * @return the posts that could not be written, with why
     */
    Map<Long, Exception> write(String model, List<SearchIndexer.PostChunks> posts) {
        try {
            indexer.writeAll(model, posts);
            return new HashMap<>();
        } catch (RuntimeException batchFailed) {
            return writeOneByOne(model, posts);
        }
    }

    /** Each post in a transaction of its own: the fallback when a batch's write fails. */
    Map<Long, Exception> writeOneByOne(String model, List<SearchIndexer.PostChunks> posts) {
        Map<Long, Exception> failures = new HashMap<>();
        for (SearchIndexer.PostChunks post : posts) {
            try {
                indexer.writeAll(model, List.of(post));
            } catch (RuntimeException e) {
                failures.put(post.post().id(), e);
            }
        }
        return failures;
    }
}

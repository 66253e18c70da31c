package dev.parley.search;

import dev.parley.forum.PostSnapshot;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds posts with one model in one call: each post is split into chunks, chunks whose digest is
 * already stored are not embedded again (unless {@code force}), and each post's rows and keyword
 * document are written in a transaction of its own.
 */
@Singleton
class PostEmbedder {

    private final SearchIndexer indexer;

    PostEmbedder(SearchIndexer indexer) {
        this.indexer = indexer;
    }

    /**
     * @return the posts that could not be written, with why; a failure of the model itself is thrown
     * @throws EmbeddingException when the model cannot answer
     */
    Map<Long, Exception> embed(EmbeddingModel model, List<PostSnapshot> posts, boolean force) {
        Map<Long, Exception> failures = new HashMap<>();
        if (posts.isEmpty()) {
            return failures;
        }
        Map<String, String> stored = force ? Map.of()
                : indexer.digests(model.name(), posts.stream().map(PostSnapshot::id).toList());
        Map<PostSnapshot, List<SearchIndexer.Chunk>> chunks = new LinkedHashMap<>();
        List<String> toEmbed = new ArrayList<>();
        for (PostSnapshot post : posts) {
            List<String> texts = Chunker.chunks(post.text(), model);
            List<SearchIndexer.Chunk> list = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                String digest = ChunkDigests.digest(model.name(), texts.get(i));
                list.add(new SearchIndexer.Chunk(i, texts.get(i), digest, null));
                if (!digest.equals(stored.get(post.id() + "/" + i))) {
                    toEmbed.add(texts.get(i));
                }
            }
            chunks.put(post, list);
        }
        List<float[]> vectors = toEmbed.isEmpty() ? List.of() : model.embed(toEmbed);
        int next = 0;
        for (Map.Entry<PostSnapshot, List<SearchIndexer.Chunk>> entry : chunks.entrySet()) {
            PostSnapshot post = entry.getKey();
            List<SearchIndexer.Chunk> withVectors = new ArrayList<>();
            for (SearchIndexer.Chunk chunk : entry.getValue()) {
                boolean changed = !chunk.digest().equals(stored.get(post.id() + "/" + chunk.index()));
                withVectors.add(changed ? new SearchIndexer.Chunk(chunk.index(), chunk.text(), chunk.digest(),
                        vectors.get(next++)) : chunk);
            }
            try {
                indexer.write(model.name(), post, withVectors);
            } catch (RuntimeException e) {
                failures.put(post.id(), e);
            }
        }
        return failures;
    }
}

package dev.parley.search;

import dev.parley.forum.PostStatus;
import dev.parley.forum.PostSnapshot;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Writes one post version's chunks and document, in one transaction. */
@Singleton
class SearchIndexer {

    /** A chunk of a post: its text, digest and, when it changed, its new vector. */
    record Chunk(int index, String text, String digest, float[] vector) {
    }

    private final EmbeddingRepository embeddings;
    private final DocumentRepository documents;
    private final Clock clock;

    SearchIndexer(EmbeddingRepository embeddings, DocumentRepository documents, Clock clock) {
        this.embeddings = embeddings;
        this.documents = documents;
        this.clock = clock;
    }

    /** The stored digest of every chunk of these posts for a model, keyed "postId/chunk". */
    @Transactional(readOnly = true)
    java.util.Map<String, String> digests(String model, java.util.Collection<Long> postIds) {
        return embeddings.digests(model, postIds);
    }

    @Transactional
    void write(String model, PostSnapshot post, List<Chunk> chunks) {
        Instant now = clock.instant();
        for (Chunk chunk : chunks) {
            if (chunk.vector() == null) {
                embeddings.touch(model, post.id(), chunk.index(), post.version());
            } else {
                embeddings.upsert(model, post.id(), chunk.index(), post.version(), chunk.digest(),
                        snippet(chunk.text()), chunk.vector(), now);
            }
        }
        embeddings.deleteFrom(model, post.id(), chunks.size());
        documents.upsert(post.id(), post.version(), post.firstPost() ? post.threadTitle() : null, post.body(),
                now);
    }

    /** Whether the post still is the published version the job was about. */
    static boolean current(PostSnapshot post, EmbedTask task) {
        return post.status() == PostStatus.PUBLISHED && post.version() == task.version();
    }

    private static String snippet(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 240 ? flat : flat.substring(0, 239) + "…";
    }

}

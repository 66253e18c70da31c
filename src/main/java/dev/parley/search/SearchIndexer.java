package dev.parley.search;

import dev.parley.forum.PostStatus;
import dev.parley.forum.PostSnapshot;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Writes post versions' chunks and documents, a batch of posts in one transaction. */
@Singleton
class SearchIndexer {

    /**
     * A chunk of a post: its text, digest and whether it changed since what is stored; a changed
     * chunk gets its new vector from the model.
     */
    record Chunk(int index, String text, String digest, float[] vector, boolean changed) {

        Chunk withVector(float[] embedded) {
            return new Chunk(index, text, digest, embedded, true);
        }
    }

    /** One post version with all its chunks. */
    record PostChunks(PostSnapshot post, List<Chunk> chunks) {
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
    Map<String, String> digests(String model, Collection<Long> postIds) {
        return embeddings.digests(model, postIds);
    }

    /**
     * Writes the chunks and keyword documents of a batch of posts (each post once) with one
     * statement per kind of change, whatever the batch size: new vectors, unchanged chunks moved to
     * the new version, chunks past a shortened post's end, opening posts' thread vectors, documents. Joins the caller's transaction
     * (a reindex run commits its checkpoint with it).
     */
    @Transactional
    void writeAll(String model, List<PostChunks> posts) {
        if (posts.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<EmbeddingRepository.NewChunk> changed = new ArrayList<>();
        List<Long> touchedPosts = new ArrayList<>();
        List<Integer> touchedChunks = new ArrayList<>();
        List<Integer> touchedVersions = new ArrayList<>();
        Long[] postIds = new Long[posts.size()];
        Integer[] versions = new Integer[posts.size()];
        Integer[] chunkCounts = new Integer[posts.size()];
        String[] titles = new String[posts.size()];
        String[] bodies = new String[posts.size()];
        List<Long> firstPosts = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            PostSnapshot post = posts.get(i).post();
            for (Chunk chunk : posts.get(i).chunks()) {
                if (chunk.vector() == null) {
                    touchedPosts.add(post.id());
                    touchedChunks.add(chunk.index());
                    touchedVersions.add(post.version());
                } else {
                    changed.add(new EmbeddingRepository.NewChunk(post.id(), chunk.index(), post.version(),
                            chunk.digest(), snippet(chunk.text()), chunk.vector()));
                }
            }
            postIds[i] = post.id();
            versions[i] = post.version();
            chunkCounts[i] = posts.get(i).chunks().size();
            titles[i] = post.firstPost() ? post.threadTitle() : null;
            if (post.firstPost()) {
                firstPosts.add(post.id());
            }
            bodies[i] = post.body();
        }
        embeddings.upsertAll(model, changed, now);
        if (!touchedPosts.isEmpty()) {
            embeddings.touchAll(model, touchedPosts.toArray(Long[]::new), touchedChunks.toArray(Integer[]::new),
                    touchedVersions.toArray(Integer[]::new));
        }
        embeddings.deleteBeyond(model, postIds, chunkCounts);
        if (!firstPosts.isEmpty()) {
            embeddings.upsertThreadVectors(model, firstPosts.toArray(Long[]::new), now);
        }
        documents.upsertAll(postIds, versions, titles, bodies, now);
    }

    /** Whether the post still is the published version the job was about. */
    static boolean current(PostSnapshot post, EmbedTask task) {
        return post.status() == PostStatus.PUBLISHED && post.version() == task.version();
    }

    /** The stored snippet of a chunk: its start, flattened (package-private: highlights find the chunk by it). */
    static String snippet(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 240 ? flat : flat.substring(0, 239) + "…";
    }

}

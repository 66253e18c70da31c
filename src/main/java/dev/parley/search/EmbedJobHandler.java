package dev.parley.search;

import dev.parley.forum.PostsForModeration;
import dev.parley.forum.ReviewablePost;
import dev.parley.pipeline.BatchJobHandler;
import dev.parley.pipeline.Job;
import dev.parley.pipeline.PermanentFailure;
import dev.parley.pipeline.RetryLater;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds the published posts of a claimed batch with one model call: each post is split into
 * chunks, chunks whose digest is already stored are not embedded again, and each post's rows and
 * keyword document are written in one transaction. A post edited or unpublished since the job was
 * queued is skipped; its newer version has a job of its own.
 */
@Singleton
class EmbedJobHandler implements BatchJobHandler {

    private final PostsForModeration posts;
    private final SearchModels models;
    private final SearchIndexer indexer;
    private final JsonMapper json;

    EmbedJobHandler(PostsForModeration posts, SearchModels models, SearchIndexer indexer, JsonMapper json) {
        this.posts = posts;
        this.models = models;
        this.indexer = indexer;
        this.json = json;
    }

    @Override
    public String kind() {
        return EmbedTask.KIND;
    }

    @Override
    public int maxBatch() {
        return 32;
    }

    @Override
    public Map<Long, Exception> handleBatch(List<Job> jobs) {
        Map<Long, Exception> failures = new HashMap<>();
        Map<Job, EmbedTask> tasks = new LinkedHashMap<>();
        for (Job job : jobs) {
            try {
                tasks.put(job, json.readValue(job.payload(), EmbedTask.class));
            } catch (IOException | RuntimeException e) {
                failures.put(job.id(), new PermanentFailure("malformed embedding payload"));
            }
        }
        Map<Long, ReviewablePost> found = new HashMap<>();
        posts.find(tasks.values().stream().map(EmbedTask::postId).toList()).forEach(p -> found.put(p.id(), p));
        Map<Job, ReviewablePost> live = new LinkedHashMap<>();
        tasks.forEach((job, task) -> {
            ReviewablePost post = found.get(task.postId());
            if (post != null && SearchIndexer.current(post, task)) {
                live.put(job, post);
            }
        });
        if (live.isEmpty()) {
            return failures;
        }

        EmbeddingModel model = models.active();
        Map<String, String> stored = indexer.digests(model.name(), live.values().stream().map(ReviewablePost::id).toList());
        Map<Job, List<SearchIndexer.Chunk>> chunks = new LinkedHashMap<>();
        List<String> toEmbed = new ArrayList<>();
        live.forEach((job, post) -> {
            List<String> texts = Chunker.chunks(post.text(), model);
            List<SearchIndexer.Chunk> list = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                String digest = Vectors.digest(model.name(), texts.get(i));
                list.add(new SearchIndexer.Chunk(i, texts.get(i), digest, null));
                if (!digest.equals(stored.get(post.id() + "/" + i))) {
                    toEmbed.add(texts.get(i));
                }
            }
            chunks.put(job, list);
        });

        List<float[]> vectors;
        try {
            vectors = toEmbed.isEmpty() ? List.of() : model.embed(toEmbed);
        } catch (EmbeddingException e) {
            Exception outcome = e.kind() == EmbeddingException.Kind.RATE_LIMITED && e.retryAfter() != null
                    ? new RetryLater(e.retryAfter(), e.getMessage()) : e;
            live.keySet().forEach(job -> failures.put(job.id(), outcome));
            return failures;
        }

        int next = 0;
        for (Map.Entry<Job, List<SearchIndexer.Chunk>> entry : chunks.entrySet()) {
            ReviewablePost post = live.get(entry.getKey());
            List<SearchIndexer.Chunk> withVectors = new ArrayList<>();
            for (SearchIndexer.Chunk chunk : entry.getValue()) {
                boolean changed = !chunk.digest().equals(stored.get(post.id() + "/" + chunk.index()));
                withVectors.add(changed ? new SearchIndexer.Chunk(chunk.index(), chunk.text(), chunk.digest(),
                        vectors.get(next++)) : chunk);
            }
            try {
                indexer.write(model.name(), post, withVectors);
            } catch (RuntimeException e) {
                failures.put(entry.getKey().id(), e);
            }
        }
        return failures;
    }
}

package dev.parley.search;

import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import dev.parley.pipeline.BatchJobHandler;
import dev.parley.pipeline.Job;
import dev.parley.pipeline.JobKind;
import dev.parley.pipeline.RetryLater;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds the published posts of a claimed batch, with the active model and with any model a
 * reindex run is building (so a switch at the end of the run misses nothing published meanwhile).
 * A post edited or unpublished since the job was queued is skipped; its newer version has a job of
 * its own. A model that does not answer fails the batch's jobs as {@link ParkedEmbeddings#unavailable},
 * so a long outage parks them rather than leaving them dead.
 */
@Singleton
class EmbedJobHandler implements BatchJobHandler<EmbedTask> {

    private final ForumPosts posts;
    private final SearchModels models;
    private final PostEmbedder embedder;
    private final EmbeddingHealth health;
    private final ParkedEmbeddings parked;

    EmbedJobHandler(ForumPosts posts, SearchModels models, PostEmbedder embedder, EmbeddingHealth health,
                    ParkedEmbeddings parked) {
        this.health = health;
        this.parked = parked;
        this.posts = posts;
        this.models = models;
        this.embedder = embedder;
    }

    @Override
    public JobKind<EmbedTask> kind() {
        return EmbedTask.KIND;
    }

    @Override
    public int maxBatch() {
        return 32;
    }

    @Override
    public Map<Long, Exception> handleBatch(List<Job<EmbedTask>> jobs) {
        Map<Long, Exception> failures = new HashMap<>();
        Map<Long, PostSnapshot> found = new HashMap<>();
        posts.find(jobs.stream().map(job -> job.payload().postId()).toList()).forEach(p -> found.put(p.id(), p));
        Map<Long, Job<EmbedTask>> jobOfPost = new HashMap<>();
        List<PostSnapshot> live = new ArrayList<>();
        for (Job<EmbedTask> job : jobs) {
            PostSnapshot post = found.get(job.payload().postId());
            if (post != null && SearchIndexer.current(post, job.payload()) && jobOfPost.putIfAbsent(post.id(), job) == null) {
                live.add(post);
            }
        }
        for (EmbeddingModel model : models.indexing()) {
            try {
                embedder.embed(model, live, false).forEach((postId, e) -> failures.put(jobOfPost.get(postId).id(), e));
                if (health.succeeded()) {
                    parked.answered(model);
                }
            } catch (EmbeddingException e) {
                health.failed(e);
                Exception outcome = e.kind() == EmbeddingException.Kind.RATE_LIMITED && e.retryAfter() != null
                        ? new RetryLater(e.retryAfter(), e.getMessage()) : ParkedEmbeddings.unavailable(model, e);
                live.forEach(post -> failures.putIfAbsent(jobOfPost.get(post.id()).id(), outcome));
            }
        }
        return failures;
    }
}

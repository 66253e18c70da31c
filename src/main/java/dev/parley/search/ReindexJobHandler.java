package dev.parley.search;

import dev.parley.forum.PostStatus;
import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import dev.parley.pipeline.Job;
import dev.parley.pipeline.JobHandler;
import dev.parley.pipeline.JobKind;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import dev.parley.pipeline.PermanentFailure;
import dev.parley.pipeline.RetryLater;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one batch of a reindex run, then queues the next: the run's progress lives in the job
 * table and the run row, so it survives restarts of any instance and resumes after its last
 * checkpoint. When no post is left, failed posts get one more try, and a run that built another
 * model's vectors makes that model active, for every instance at once.
 */
@Singleton
class ReindexJobHandler implements JobHandler<ReindexTask> {

    private static final Logger LOG = LoggerFactory.getLogger(ReindexJobHandler.class);

    private final ReindexRepository runs;
    private final ForumPosts posts;
    private final SearchModels models;
    private final PostEmbedder embedder;
    private final JobQueue jobs;
    private final ReindexConfig config;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final EmbeddingHealth health;

    ReindexJobHandler(ReindexRepository runs, ForumPosts posts, SearchModels models, PostEmbedder embedder,
                      JobQueue jobs, ReindexConfig config, TransactionOperations<Connection> tx, Clock clock,
                      EmbeddingHealth health) {
        this.health = health;
        this.runs = runs;
        this.posts = posts;
        this.models = models;
        this.embedder = embedder;
        this.jobs = jobs;
        this.config = config;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public JobKind<ReindexTask> kind() {
        return ReindexTask.KIND;
    }

    @Override
    public void handle(Job<ReindexTask> job) {
        ReindexTask task = job.payload();
        ReindexRepository.Row run = tx.executeRead(status -> runs.find(task.runId())).orElse(null);
        if (run == null || run.state() != ReindexState.RUNNING) {
            return;
        }
        EmbeddingModel model = models.named(run.model())
                .orElseThrow(() -> new PermanentFailure("embedding model " + run.model() + " is not available"));
        List<Long> ids = tx.executeRead(status -> runs.nextBatch(run, config.batchSize()));
        if (ids.isEmpty()) {
            finish(run, model);
            return;
        }
        long started = System.nanoTime();
        List<PostSnapshot> batch = posts.find(ids).stream().filter(p -> p.status() == PostStatus.PUBLISHED).toList();
        Map<Long, Exception> failures;
        try {
            failures = embedder.embed(model, batch, run.scope() == ReindexScope.ALL);
            health.succeeded();
        } catch (EmbeddingException e) {
            health.failed(e);
            // The whole batch waits; the checkpoint has not moved, so nothing is skipped or done twice.
            if (e.kind() == EmbeddingException.Kind.RATE_LIMITED && e.retryAfter() != null) {
                throw new RetryLater(e.retryAfter(), e.getMessage());
            }
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long last = ids.get(ids.size() - 1);
        tx.executeWrite(status -> {
            failures.forEach((postId, e) -> runs.recordFailure(run.id(), postId, e.toString()));
            runs.checkpoint(run.id(), last, batch.size() - failures.size(), failures.size());
            jobs.enqueue(JobRequest.of(ReindexTask.KIND, new ReindexTask(run.id())).uniqueBy("run-" + run.id())
                    .after(ReindexService.throttle(run.maxPerSecond(), batch.size(), took)));
            return null;
        });
    }

    private void finish(ReindexRepository.Row run, EmbeddingModel model) {
        List<Long> failed = tx.executeRead(status -> runs.failures(run.id()));
        if (!failed.isEmpty()) {
            List<PostSnapshot> retry = posts.find(failed).stream()
                    .filter(p -> p.status() == PostStatus.PUBLISHED).toList();
            Map<Long, Exception> stillFailing = embedder.embed(model, retry, run.scope() == ReindexScope.ALL);
            tx.executeWrite(status -> {
                retry.stream().filter(p -> !stillFailing.containsKey(p.id()))
                        .forEach(p -> runs.recovered(run.id(), p.id()));
                return null;
            });
        }
        tx.executeWrite(status -> {
            ReindexRepository.Row current = runs.findForUpdate(run.id()).orElseThrow();
            if (current.state() != ReindexState.RUNNING) {
                return null;
            }
            runs.finish(run.id(), ReindexState.SUCCEEDED, clock.instant());
            if (!models.active().name().equals(model.name())) {
                models.activate(model);
                LOG.info("Reindex run {} succeeded: search now answers from {}", run.id(), model.name());
            }
            return null;
        });
    }
}

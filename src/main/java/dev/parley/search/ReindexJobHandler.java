package dev.parley.search;

import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import dev.parley.forum.PostStatus;
import dev.parley.pipeline.Job;
import dev.parley.pipeline.JobHandler;
import dev.parley.pipeline.JobKind;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import dev.parley.pipeline.PermanentFailure;
import dev.parley.pipeline.RetryLater;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a slice of a reindex run, then queues the next slice: the run's progress lives in the job
 * table and the run row, so it survives restarts of any instance and resumes after its last
 * checkpoint. Within a slice the model embeds the next batch while this thread writes the current
 * one (at most one batch waits for the model, so memory stays flat), and each batch's rows commit
 * with its checkpoint. When no post is left, failed posts get one more try, and a run that built
 * another model's vectors makes that model active, for every instance at once.
 */
@Singleton
class ReindexJobHandler implements JobHandler<ReindexTask> {

    private static final Logger LOG = LoggerFactory.getLogger(ReindexJobHandler.class);

    private final ReindexRepository runs;
    private final ForumPosts posts;
    private final SearchModels models;
    private final PostEmbedder embedder;
    private final SearchIndexer indexer;
    private final JobQueue jobs;
    private final ReindexConfig config;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final EmbeddingHealth health;
    private final ExecutorService modelCalls;

    ReindexJobHandler(ReindexRepository runs, ForumPosts posts, SearchModels models, PostEmbedder embedder,
                      SearchIndexer indexer, JobQueue jobs, ReindexConfig config,
                      TransactionOperations<Connection> tx, Clock clock, EmbeddingHealth health,
                      @Named(TaskExecutors.BLOCKING) ExecutorService modelCalls) {
        this.health = health;
        this.runs = runs;
        this.posts = posts;
        this.models = models;
        this.embedder = embedder;
        this.indexer = indexer;
        this.jobs = jobs;
        this.config = config;
        this.tx = tx;
        this.clock = clock;
        this.modelCalls = modelCalls;
    }

    /** A batch whose vectors the model is computing (or has computed) while the previous one is written. */
    private record Batch(EmbeddingModel model, long lastPostId, int published,
                         Future<List<SearchIndexer.PostChunks>> vectors, long startedNanos) {
    }

    /** The claim this slice runs under: its checkpoints and the run's end are written only while it holds. */
    private record Lease(long jobId, java.util.UUID token) {
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
        // A throttled run does one batch per job, its next job delayed to keep the rate; an
        // unthrottled one keeps going for a slice, so job overhead and model idle time stay small.
        boolean throttled = run.maxPerSecond() != null;
        long sliceEnds = System.nanoTime() + config.slice().toNanos();
        long checkpoint = run.lastPostId();
        Lease lease = new Lease(job.id(), job.leaseToken());
        Batch current = startBatch(run, model, checkpoint);
        Batch next = null;
        try {
            if (current == null) {
                finish(run, model, lease);
                return;
            }
            while (true) {
                List<SearchIndexer.PostChunks> embedded = await(current);
                boolean more = !throttled && System.nanoTime() < sliceEnds && !Thread.currentThread().isInterrupted();
                next = more ? startBatch(run, model, current.lastPostId()) : null;
                if (!commit(run, model, lease, checkpoint, current, embedded, !more)) {
                    // Cancelled, or this worker lost its lease: another worker took the job over.
                    return;
                }
                checkpoint = current.lastPostId();
                if (!more) {
                    return;
                }
                if (next == null) {
                    finish(run, model, lease);
                    return;
                }
                current = next;
                next = null;
            }
        } finally {
            if (next != null) {
                next.vectors().cancel(true);
            }
        }
    }

    /** Picks the batch after a post id and hands its embedding to the model; null when none is left. */
    private Batch startBatch(ReindexRepository.Row run, EmbeddingModel model, long after) {
        List<Long> ids = tx.executeRead(status -> runs.findSelection(after, run.scope(), run.model(), config.batchSize()));
        if (ids.isEmpty()) {
            return null;
        }
        long started = System.nanoTime();
        List<PostSnapshot> batch = posts.find(ids).stream().filter(p -> p.status() == PostStatus.PUBLISHED).toList();
        PostEmbedder.Prepared prepared = embedder.prepare(model, batch, run.scope() == ReindexScope.ALL);
        return new Batch(model, ids.get(ids.size() - 1), batch.size(), modelCalls.submit(() -> embedder.vectors(prepared)),
                started);
    }

    private List<SearchIndexer.PostChunks> await(Batch batch) {
        try {
            List<SearchIndexer.PostChunks> embedded = batch.vectors().get();
            health.succeeded();
            return embedded;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the model embedded a reindex batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EmbeddingException failure) {
                health.failed(failure);
                // The whole batch waits; the checkpoint has not moved, so nothing is skipped or done twice.
                if (failure.kind() == EmbeddingException.Kind.RATE_LIMITED && failure.retryAfter() != null) {
                    throw new RetryLater(failure.retryAfter(), failure.getMessage());
                }
                // A long outage parks the run's job; it resumes from this checkpoint when the model answers.
                throw ParkedEmbeddings.unavailable(batch.model(), failure);
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Writes a batch and moves the checkpoint past it in one transaction; when the batch's write
     * fails, writes post by post and records the posts that failed. False when the checkpoint was
     * not where this worker left it (another worker moved it) or the run is no longer running.
     */
    private boolean commit(ReindexRepository.Row run, EmbeddingModel model, Lease lease, long expected, Batch batch,
                           List<SearchIndexer.PostChunks> embedded, boolean continueLater) {
        try {
            return tx.executeWrite(status -> {
                indexer.writeAll(model.name(), embedded);
                return checkpoint(status, run, lease, expected, batch, Map.of(), continueLater);
            });
        } catch (RuntimeException batchFailed) {
            LOG.debug("Reindex run {}: a batch's write failed, writing its posts one by one", run.id(), batchFailed);
        }
        Map<Long, Exception> failures = embedder.writeOneByOne(model.name(), embedded);
        return tx.executeWrite(status -> checkpoint(status, run, lease, expected, batch, failures, continueLater));
    }

    private boolean checkpoint(TransactionStatus<Connection> status, ReindexRepository.Row run, Lease lease,
                               long expected, Batch batch, Map<Long, Exception> failures, boolean continueLater) {
        if (runs.checkpoint(run.id(), lease.jobId(), lease.token(), expected, batch.lastPostId(),
                batch.published() - failures.size(), failures.size()) == 0) {
            status.setRollbackOnly();
            return false;
        }
        failures.forEach((postId, e) -> runs.recordFailure(run.id(), postId, e.toString()));
        if (continueLater) {
            Duration took = Duration.ofNanos(System.nanoTime() - batch.startedNanos());
            jobs.enqueue(JobRequest.of(ReindexTask.KIND, new ReindexTask(run.id())).uniqueBy("run-" + run.id())
                    .after(ReindexService.throttle(run.maxPerSecond(), batch.published(), took)));
        }
        return true;
    }

    private void finish(ReindexRepository.Row run, EmbeddingModel model, Lease lease) {
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
            if (runs.finishHeld(run.id(), lease.jobId(), lease.token(), ReindexState.SUCCEEDED, clock.instant()) == 0) {
                return null;   // this worker lost its lease: the worker that took the job over finishes the run
            }
            if (!models.active().name().equals(model.name())) {
                models.activate(model);
                LOG.info("Reindex run {} succeeded: search now answers from {}", run.id(), model.name());
            }
            return null;
        });
    }
}

package dev.parley.pipeline;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Runs one claimed job through its handler and records the outcome: done, retried after a
 * backoff (or the delay the handler asked for), or dead once its attempts are used up.
 */
@Singleton
class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final JobStore store;
    private final PipelineMetrics metrics;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Clock clock;

    JobRunner(JobStore store, PipelineMetrics metrics, PipelineConfig config, RandomGenerator random, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.backoff = new Backoff(config.backoffBase(), config.backoffMax());
        this.random = random;
        this.clock = clock;
    }

    /** Runs jobs of one kind: together when their handler takes batches, one by one otherwise. */
    void run(List<Job> jobs, Map<String, JobHandler> handlers) {
        if (jobs.isEmpty()) {
            return;
        }
        if (handlers.get(jobs.get(0).kind()) instanceof BatchJobHandler batch) {
            for (int from = 0; from < jobs.size(); from += batch.maxBatch()) {
                runBatch(jobs.subList(from, Math.min(jobs.size(), from + batch.maxBatch())), batch);
            }
        } else {
            jobs.forEach(job -> run(job, handlers.get(job.kind())));
        }
    }

    private void runBatch(List<Job> jobs, BatchJobHandler handler) {
        Instant now = clock.instant();
        jobs.forEach(job -> metrics.started(job, now));
        Map<Long, Exception> failures;
        try {
            failures = handler.handleBatch(jobs);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            jobs.forEach(job -> recordOutcome(job, failure));
            return;
        }
        jobs.forEach(job -> recordOutcome(job, failures.get(job.id())));
    }

    private void run(Job job, JobHandler handler) {
        metrics.started(job, clock.instant());
        Throwable outcome = null;
        try {
            if (handler == null) {
                throw new PermanentFailure("no handler for job kind " + job.kind());
            }
            handler.handle(job);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            outcome = failure;
        }
        recordOutcome(job, outcome);
    }

    /** Records what became of one job: done when {@code failure} is null, else retried or dead. */
    private void recordOutcome(Job job, Throwable failure) {
        if (failure == null) {
            if (store.complete(job, clock.instant())) {
                metrics.completed(job, clock.instant());
            } else {
                LOG.warn("Job {} ({}) finished after its lease was taken over; the other run owns it now",
                        job.id(), job.kind());
            }
        } else if (failure instanceof RetryLater wait) {
            store.reschedule(job, clock.instant().plus(wait.delay()), describe(wait), true);
            metrics.deferred(job);
        } else if (failure instanceof PermanentFailure || job.attempt() >= job.maxAttempts()) {
            bury(job, failure);
        } else {
            Duration delay = backoff.delayAfter(job.attempt(), random);
            LOG.info("Job {} ({}) failed on attempt {}/{}, retrying in {} ms: {}", job.id(), job.kind(),
                    job.attempt(), job.maxAttempts(), delay.toMillis(), failure.toString());
            store.reschedule(job, clock.instant().plus(delay), describe(failure), false);
            metrics.failed(job);
        }
    }

    private void bury(Job job, Throwable failure) {
        LOG.warn("Job {} ({}) is dead after attempt {}: {}", job.id(), job.kind(), job.attempt(), failure.toString());
        Instant now = clock.instant();
        store.bury(job, now, describe(failure));
        metrics.died(job);
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}

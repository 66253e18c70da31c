package dev.parley.pipeline;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    void run(Job job, Map<String, JobHandler> handlers) {
        metrics.started(job, clock.instant());
        JobHandler handler = handlers.get(job.kind());
        try {
            if (handler == null) {
                throw new PermanentFailure("no handler for job kind " + job.kind());
            }
            handler.handle(job);
            if (store.complete(job, clock.instant())) {
                metrics.completed(job, clock.instant());
            } else {
                LOG.warn("Job {} ({}) finished after its lease was taken over; the other run owns it now",
                        job.id(), job.kind());
            }
        } catch (RetryLater wait) {
            store.reschedule(job, clock.instant().plus(wait.delay()), describe(wait), true);
            metrics.deferred(job);
        } catch (PermanentFailure permanent) {
            bury(job, permanent);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            if (job.attempt() >= job.maxAttempts()) {
                bury(job, failure);
            } else {
                Duration delay = backoff.delayAfter(job.attempt(), random);
                LOG.info("Job {} ({}) failed on attempt {}/{}, retrying in {} ms: {}", job.id(), job.kind(),
                        job.attempt(), job.maxAttempts(), delay.toMillis(), failure.toString());
                store.reschedule(job, clock.instant().plus(delay), describe(failure), false);
                metrics.failed(job);
            }
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

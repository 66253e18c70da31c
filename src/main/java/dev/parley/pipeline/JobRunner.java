package dev.parley.pipeline;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Runs claimed jobs through their handler and records the outcome: done, retried after a
 * backoff (or the delay the handler asked for), or dead once its attempts are used up. Each
 * payload is decoded here, once, into its kind's record; one that does not decode is dead at once.
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
    private final JsonMapper json;

    JobRunner(JobStore store, PipelineMetrics metrics, PipelineConfig config, RandomGenerator random, Clock clock,
              JsonMapper json) {
        this.store = store;
        this.metrics = metrics;
        this.backoff = new Backoff(config.backoffBase(), config.backoffMax());
        this.random = random;
        this.clock = clock;
        this.json = json;
    }

    /** Runs claimed jobs of one kind: together when their handler takes batches, one by one otherwise. */
    void run(List<ClaimedJob> claimed, Map<String, JobHandler<?>> handlers) {
        if (claimed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        claimed.forEach(job -> metrics.started(job, now));
        JobHandler<?> handler = handlers.get(claimed.get(0).kind());
        if (handler == null) {
            claimed.forEach(job -> recordOutcome(job, new PermanentFailure("no handler for job kind " + job.kind())));
            return;
        }
        runDecoded(claimed, handler);
    }

    private <P> void runDecoded(List<ClaimedJob> claimed, JobHandler<P> handler) {
        Map<Long, ClaimedJob> byId = new HashMap<>();
        List<Job<P>> jobs = new ArrayList<>();
        for (ClaimedJob row : claimed) {
            try {
                jobs.add(row.with(decode(row, handler.kind())));
                byId.put(row.id(), row);
            } catch (PermanentFailure undecodable) {
                recordOutcome(row, undecodable);
            }
        }
        if (handler instanceof BatchJobHandler<P> batch) {
            for (int from = 0; from < jobs.size(); from += batch.maxBatch()) {
                runBatch(jobs.subList(from, Math.min(jobs.size(), from + batch.maxBatch())), batch, byId);
            }
        } else {
            jobs.forEach(job -> runOne(job, handler, byId.get(job.id())));
        }
    }

    private <P> P decode(ClaimedJob row, JobKind<P> kind) {
        Class<P> type = kind.payloadType();
        try {
            P payload = json.readValue(row.payload(), Argument.of(type));
            if (payload == null) {
                throw new IOException("the payload is null");
            }
            return payload;
        } catch (IOException | RuntimeException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new PermanentFailure("payload does not decode as " + type.getSimpleName() + ": " + reason);
        }
    }

    private <P> void runBatch(List<Job<P>> jobs, BatchJobHandler<P> handler, Map<Long, ClaimedJob> rows) {
        Map<Long, Exception> failures;
        try {
            failures = handler.handleBatch(jobs);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            jobs.forEach(job -> recordOutcome(rows.get(job.id()), failure));
            return;
        }
        jobs.forEach(job -> recordOutcome(rows.get(job.id()), failures.get(job.id())));
    }

    private <P> void runOne(Job<P> job, JobHandler<P> handler, ClaimedJob row) {
        Throwable outcome = null;
        try {
            handler.handle(job);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            outcome = failure;
        }
        recordOutcome(row, outcome);
    }

    /** Records what became of one job: done when {@code failure} is null, else retried or dead. */
    private void recordOutcome(ClaimedJob job, Throwable failure) {
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
        } else if (failure instanceof PermanentFailure || job.attempts() >= job.maxAttempts()) {
            bury(job, failure);
        } else {
            Duration delay = backoff.delayAfter(job.attempts(), random);
            LOG.info("Job {} ({}) failed on attempt {}/{}, retrying in {} ms: {}", job.id(), job.kind(),
                    job.attempts(), job.maxAttempts(), delay.toMillis(), failure.toString());
            store.reschedule(job, clock.instant().plus(delay), describe(failure), false);
            metrics.failed(job);
        }
    }

    private void bury(ClaimedJob job, Throwable failure) {
        LOG.warn("Job {} ({}) is dead after attempt {}: {}", job.id(), job.kind(), job.attempts(), failure.toString());
        store.bury(job, clock.instant(), describe(failure));
        metrics.died(job);
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}

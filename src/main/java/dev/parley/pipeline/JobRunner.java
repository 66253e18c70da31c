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
 * Runs claimed jobs through their handler and records the failures: retried after a backoff (or
 * the delay the handler asked for), or dead once its attempts are used up (parked instead when the
 * failure was a resource that did not answer, see {@link ResourceUnavailable}). The jobs that succeeded
 * are returned, for the pool to mark done in batches ({@link Completions}). Each payload is decoded
 * here, once, into its kind's record; one that does not decode is dead at once.
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

    /**
     * Runs claimed jobs of one kind: together when their handler takes batches, one by one otherwise.
     * Returns those that succeeded, not yet marked done; the others' outcomes are recorded (or, if
     * the database would not take them, logged: their leases run out and they run again).
     */
    List<ClaimedJob> run(List<ClaimedJob> claimed, Map<String, JobHandler<?>> handlers) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        claimed.forEach(job -> metrics.started(job, now));
        JobHandler<?> handler = handlers.get(claimed.get(0).kind());
        List<ClaimedJob> succeeded = new ArrayList<>(claimed.size());
        if (handler == null) {
            claimed.forEach(job -> recordOutcome(job, new PermanentFailure("no handler for job kind " + job.kind()),
                    succeeded));
        } else {
            runDecoded(claimed, handler, succeeded);
        }
        return succeeded;
    }

    private <P> void runDecoded(List<ClaimedJob> claimed, JobHandler<P> handler, List<ClaimedJob> succeeded) {
        Map<Long, ClaimedJob> byId = new HashMap<>();
        List<Job<P>> jobs = new ArrayList<>();
        for (ClaimedJob row : claimed) {
            try {
                jobs.add(row.with(decode(row, handler.kind())));
                byId.put(row.id(), row);
            } catch (PermanentFailure undecodable) {
                recordOutcome(row, undecodable, succeeded);
            }
        }
        if (handler instanceof BatchJobHandler<P> batch) {
            for (int from = 0; from < jobs.size(); from += batch.maxBatch()) {
                runBatch(jobs.subList(from, Math.min(jobs.size(), from + batch.maxBatch())), batch, byId, succeeded);
            }
        } else {
            jobs.forEach(job -> runOne(job, handler, byId.get(job.id()), succeeded));
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

    private <P> void runBatch(List<Job<P>> jobs, BatchJobHandler<P> handler, Map<Long, ClaimedJob> rows,
                              List<ClaimedJob> succeeded) {
        Map<Long, Exception> failures;
        try {
            failures = handler.handleBatch(jobs);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            jobs.forEach(job -> recordOutcome(rows.get(job.id()), failure, succeeded));
            return;
        }
        jobs.forEach(job -> recordOutcome(rows.get(job.id()), failures.get(job.id()), succeeded));
    }

    private <P> void runOne(Job<P> job, JobHandler<P> handler, ClaimedJob row, List<ClaimedJob> succeeded) {
        Throwable outcome = null;
        try {
            handler.handle(job);
        } catch (Exception | LinkageError | StackOverflowError failure) {
            outcome = failure;
        }
        recordOutcome(row, outcome, succeeded);
    }

    /**
     * A success joins {@code succeeded}; a failure is recorded at once, one job per statement, as
     * each takes its own delay or error. A failure that cannot be recorded stays with its lease.
     */
    private void recordOutcome(ClaimedJob job, Throwable failure, List<ClaimedJob> succeeded) {
        if (failure == null) {
            succeeded.add(job);
            return;
        }
        try {
            recordFailure(job, failure);
        } catch (RuntimeException e) {
            LOG.warn("Recording the failure of job {} failed: {}", job.id(), e.toString());
        }
    }

    private void recordFailure(ClaimedJob job, Throwable failure) {
        if (failure instanceof RetryLater wait) {
            store.reschedule(job, clock.instant().plus(wait.delay()), describe(wait), true);
            metrics.deferred(job);
        } else if (failure instanceof PermanentFailure) {
            bury(job, failure);
        } else if (job.attempts() >= job.maxAttempts() && failure instanceof ResourceUnavailable unavailable) {
            LOG.warn("Job {} ({}) is parked after attempt {} until {} answers again: {}", job.id(), job.kind(),
                    job.attempts(), unavailable.resource(), failure.getMessage());
            store.park(job, unavailable.resource(), describe(failure));
            metrics.parked(job);
        } else if (job.attempts() >= job.maxAttempts()) {
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

package dev.parley.pipeline;

import dev.parley.common.UniqueViolations;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The pipeline's use of the {@code jobs} table: each operation in its own transaction (or the
 * caller's, for an enqueue), and the notification that wakes the workers of every instance.
 */
@Singleton
class JobStore {

    /** NOTIFY channel that wakes the workers of every instance when a job is committed (also in V15). */
    static final String CHANNEL = "parley_jobs";
    private final JobRepository jobs;

    JobStore(JobRepository jobs) {
        this.jobs = jobs;
    }

    /**
     * Inserts a job in the caller's transaction; the table's insert trigger (V15) adds the notification
     * that PostgreSQL delivers only if that transaction commits. Returns empty when a job of the same
     * kind and unique key is waiting.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    Optional<Long> insert(String kind, String payloadJson, String uniqueKey, int maxAttempts, Instant runAt,
                          Instant now) {
        return jobs.insert(kind, payloadJson, uniqueKey, maxAttempts, runAt, now).stream().findFirst().map(JobRow::id);
    }

    /**
     * Claims up to {@code limit} due jobs of a kind for {@code workerId}, leased until {@code leaseUntil},
     * in queue order: {@code UPDATE ... RETURNING} returns rows in no particular order, and a batch is
     * handled (its posts published, their events written) in the order given here.
     */
    @Transactional
    List<ClaimedJob> claim(String kind, String workerId, int limit, Instant now, Instant leaseUntil) {
        return jobs.claim(kind, workerId, limit, now, leaseUntil, UUID.randomUUID()).stream()
                .sorted(QUEUE_ORDER).map(ClaimedJob::of).toList();
    }

    private static final Comparator<JobRow> QUEUE_ORDER = Comparator.comparing(JobRow::runAt).thenComparing(JobRow::id);

    /** When the next queued job of these kinds becomes due, if one waits for a time after {@code now}. */
    @Transactional(readOnly = true)
    Optional<Instant> nextDue(Collection<String> kinds, Instant now) {
        return jobs.nextDue(kinds.toArray(String[]::new), now);
    }

    /** Marks the job succeeded; false when this claim no longer holds it (its lease was taken over). */
    @Transactional
    boolean complete(ClaimedJob job, Instant now) {
        return jobs.complete(job.id(), job.leaseToken(), now) == 1;
    }

    /**
     * Marks the jobs succeeded in one statement; returns the ids of those this worker still held
     * (a job whose lease was taken over is left to the claim that holds it now).
     */
    @Transactional
    Set<Long> completeAll(Collection<ClaimedJob> jobs, Instant now) {
        Long[] ids = jobs.stream().map(ClaimedJob::id).toArray(Long[]::new);
        String[] tokens = jobs.stream().map(job -> job.leaseToken().toString()).toArray(String[]::new);
        return Set.copyOf(this.jobs.completeAll(ids, tokens, now));
    }

    /**
     * Puts the job back in the queue to run at {@code runAt}. {@code refundAttempt} gives back the
     * attempt of this claim (the handler was told to wait, it did not fail).
     */
    @Transactional
    boolean reschedule(ClaimedJob job, Instant runAt, String error, boolean refundAttempt) {
        return jobs.reschedule(job.id(), job.leaseToken(), runAt, error, refundAttempt ? 1 : 0) == 1;
    }

    /** Parks the job until {@code resource} answers again ({@link #resume}); its attempts stay as they are. */
    @Transactional
    boolean park(ClaimedJob job, String resource, String error) {
        return jobs.park(job.id(), job.leaseToken(), resource, error) == 1;
    }

    /**
     * Queues again every job parked on {@code resource}, due now, and wakes the workers. A woken job
     * that fails the same way again is parked again after that one attempt.
     */
    @Transactional
    int resume(String resource, Instant now) {
        int resumed = jobs.resume(resource, now);
        if (resumed > 0) {
            jobs.notifyWorkers(CHANNEL, "resumed");
        }
        return resumed;
    }

    /** How many jobs are parked on {@code resource}. */
    @Transactional(readOnly = true)
    long parked(String resource) {
        return jobs.countParked(resource);
    }

    /** Gives up on the job; it keeps its last error until an admin retries it. */
    @Transactional
    boolean bury(ClaimedJob job, Instant now, String error) {
        return jobs.bury(job.id(), job.leaseToken(), now, error) == 1;
    }

    /**
     * The heartbeat: extends the leases of the jobs this worker still holds in memory. Only those:
     * a job whose outcome could not be recorded (the database went away) is no longer held, and its
     * lease must run out so that it is queued again rather than stay "running" for ever.
     */
    @Transactional
    int extendLeases(String workerId, Collection<Long> held, Instant leaseUntil) {
        if (held.isEmpty()) {
            return 0;
        }
        return jobs.extendLeases(workerId, held.toArray(Long[]::new), leaseUntil);
    }

    /**
     * Returns to the queue every job whose lease expired: its worker crashed, was killed or lost the
     * database. Jobs that used up their attempts this way are dead instead.
     */
    @Transactional
    int recoverExpired(Instant now) {
        return jobs.buryExpired(now) + jobs.requeueExpired(now);
    }

    /** On shutdown: hands back the jobs this worker still holds, without charging an attempt. */
    @Transactional
    int release(String workerId, Instant now) {
        return jobs.release(workerId, now);
    }

    /**
     * Queues a dead job again with fresh attempts and wakes the workers. False when there is no dead
     * job with this id.
     *
     * @throws DuplicateJob when an identical job (same kind and unique key) is already waiting
     */
    @Transactional
    boolean revive(long id, Instant now) {
        Optional<JobRow> revived = UniqueViolations.translate(() -> jobs.revive(id, now).stream().findFirst(),
                DuplicateJob::new);
        revived.ifPresent(job -> jobs.notifyWorkers(CHANNEL, job.kind()));
        return revived.isPresent();
    }

    /** Deletes succeeded jobs that finished before {@code before}, a bounded batch at a time. */
    @Transactional
    int purgeSucceeded(Instant before, int batch) {
        return jobs.purgeSucceeded(before, batch);
    }

    /** Counts of unfinished jobs per kind, and the enqueue time of the oldest queued job. */
    @Transactional(readOnly = true)
    List<JobRepository.KindCounts> counts() {
        return jobs.counts();
    }

    /** A revived job would be a second waiting job with the same kind and unique key. */
    static final class DuplicateJob extends RuntimeException {
        DuplicateJob() {
            super("an identical job is already waiting");
        }
    }
}

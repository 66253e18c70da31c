package dev.parley.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Marks one pool's succeeded jobs done, many per statement (group commit). A worker that finishes
 * a job queues it here; whichever worker finds no write under way writes everything queued in one
 * {@code UPDATE}, and the others go on to their next job. Under load one commit covers every job
 * that finished during the previous one; at idle a job is written as soon as it finishes.
 * <p>
 * A job's outcome is durable only once written: until then it stays in the pool's hands (its lease
 * renewed), and if the process dies first the lease runs out and the job runs again, as when a
 * worker dies between the handler and its commit.
 * <p>
 * With {@code grouped} false (a batch size of 1, the one-at-a-time baseline) each job is written on
 * its own by the worker that ran it, exactly as claims are.
 */
final class Completions {

    private static final Logger LOG = LoggerFactory.getLogger(Completions.class);

    /** A succeeded job and what its pool does once the job's outcome is written (or failed to be). */
    private record Done(ClaimedJob job, Runnable afterwards) {
    }

    private final JobStore store;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final boolean grouped;
    private final Queue<Done> queued = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    Completions(JobStore store, PipelineMetrics metrics, Clock clock, boolean grouped) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.grouped = grouped;
    }

    /** Whether jobs are marked done many per statement (false: each on its own, the baseline). */
    boolean grouped() {
        return grouped;
    }

    /**
     * Has the jobs marked done, in this thread or, when another worker is writing, in that worker's
     * next statement; runs {@code afterwards} for each job once it is written or the write failed.
     */
    void succeeded(List<ClaimedJob> jobs, Consumer<ClaimedJob> afterwards) {
        if (!grouped) {
            for (ClaimedJob job : jobs) {
                try {
                    writeOne(job);
                } finally {
                    afterwards.accept(job);
                }
            }
            return;
        }
        jobs.forEach(job -> queued.add(new Done(job, () -> afterwards.accept(job))));
        // Whoever holds the lock checks the queue again after unlocking, so an entry added while
        // another thread writes is never stranded.
        while (!queued.isEmpty() && writing.tryLock()) {
            try {
                writeQueued();
            } finally {
                writing.unlock();
            }
        }
    }

    /** Marks the jobs done before returning: for {@link WorkerPool#runDue()}, which runs synchronously. */
    void succeededNow(List<ClaimedJob> jobs) {
        if (!grouped) {
            jobs.forEach(this::writeOne);
        } else if (!jobs.isEmpty()) {
            write(jobs);
        }
    }

    private void writeQueued() {
        List<Done> batch = new ArrayList<>();
        for (Done done; (done = queued.poll()) != null; ) {
            batch.add(done);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch.stream().map(Done::job).toList());
        } finally {
            batch.forEach(done -> done.afterwards().run());
        }
    }

    private void write(List<ClaimedJob> jobs) {
        Set<Long> marked;
        try {
            marked = store.completeAll(jobs, clock.instant());
        } catch (RuntimeException e) {
            // Typically the database is unreachable: the leases run out and the jobs run again.
            LOG.warn("Recording the outcome of jobs {} failed: {}", jobs.stream().map(ClaimedJob::id).toList(),
                    e.toString());
            return;
        }
        Instant now = clock.instant();
        for (ClaimedJob job : jobs) {
            if (marked.contains(job.id())) {
                metrics.completed(job, now);
            } else {
                leaseLost(job);
            }
        }
    }

    private void writeOne(ClaimedJob job) {
        boolean marked;
        try {
            marked = store.complete(job, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Recording the outcome of job {} failed: {}", job.id(), e.toString());
            return;
        }
        if (marked) {
            metrics.completed(job, clock.instant());
        } else {
            leaseLost(job);
        }
    }

    private static void leaseLost(ClaimedJob job) {
        LOG.warn("Job {} ({}) finished after its lease was taken over; the other run owns it now", job.id(),
                job.kind());
    }
}

package dev.parley.pipeline;

import dev.parley.common.PgListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers of one instance. A dispatcher thread claims due jobs in batches, up to each kind's
 * free concurrency, and hands them to that kind's threads; it sleeps until a notification, a
 * finished job, the due time of the next delayed job or the poll interval wakes it. A housekeeping thread renews this instance's leases,
 * returns expired leases of vanished instances to the queue, purges old jobs and refreshes the
 * queue gauges. {@link #runDue()} does the same work synchronously, for tests and tools.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final String workerId;
    private final JobStore store;
    private final JobRunner runner;
    private final Completions completions;
    private final PipelineMetrics metrics;
    private final Map<String, JobHandler<?>> handlers;
    private final PipelineConfig config;
    private final Clock clock;
    private final PgListener listener;

    private final Semaphore wakeUps = new Semaphore(0);
    private final Map<String, Held> inFlight = new ConcurrentHashMap<>();
    /** Ids of the jobs claimed by the dispatcher and not yet finished here: the heartbeat renews only these. */
    private final Set<Long> inHand = ConcurrentHashMap.newKeySet();
    private final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();
    private volatile boolean running;
    /** The due time the dispatcher last slept until, and when (System.nanoTime) that sleep was to end. */
    private Instant timedWakeFor;
    private long timedWakeEndsNanos;
    private Thread dispatcher;
    private ScheduledExecutorService housekeeping;

    WorkerPool(String workerId, JobStore store, JobRunner runner, PipelineMetrics metrics,
               Map<String, JobHandler<?>> handlers, PipelineConfig config, Clock clock, PgListener listener) {
        this.workerId = workerId;
        this.store = store;
        this.runner = runner;
        this.completions = new Completions(store, metrics, clock, config.batchSize() > 1);
        this.metrics = metrics;
        this.handlers = Map.copyOf(handlers);
        this.config = config;
        this.clock = clock;
        this.listener = listener;
        this.handlers.keySet().forEach(kind -> inFlight.put(kind, new Held()));
    }

    public String workerId() {
        return workerId;
    }

    /** Whether the dispatcher thread is alive and claiming. */
    public boolean isRunning() {
        return running && dispatcher != null && dispatcher.isAlive();
    }

    /** Whether job notifications are being received (otherwise the pool is polling). */
    public boolean isListening() {
        return listener.isConnected();
    }

    /**
     * Claims and runs due jobs of every handled kind in the calling thread until none is due.
     * Returns how many jobs ran.
     */
    public int runDue() {
        int ran = 0;
        for (String kind : handlers.keySet()) {
            List<ClaimedJob> batch;
            while (!(batch = claim(kind, config.batchSize())).isEmpty()) {
                completions.succeededNow(runner.run(batch, handlers));
                ran += batch.size();
            }
        }
        return ran;
    }

    /** Claims one batch without running it: a worker that will vanish mid-lease, in tests. */
    public List<ClaimedJob> claimOnly(JobKind<?> kind, int limit) {
        return claim(kind.name(), limit);
    }

    /** Returns expired leases to the queue; what every instance does periodically. */
    public int recoverExpiredLeases() {
        return store.recoverExpired(clock.instant());
    }

    /** Starts the dispatcher and housekeeping threads. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        handlers.keySet().forEach(kind -> {
            metrics.registerKind(kind);
            int threads = config.concurrencyOf(kind);
            executors.put(kind, Executors.newFixedThreadPool(threads, named("parley-job-" + kind)));
        });
        housekeeping = Executors.newSingleThreadScheduledExecutor(named("parley-jobs-housekeeping"));
        long leaseMillis = config.lease().toMillis();
        every(leaseMillis / 3, () -> store.extendLeases(workerId, List.copyOf(inHand), clock.instant().plus(config.lease())));
        every(leaseMillis / 2, this::recoverExpiredLeases);
        every(TimeUnit.MINUTES.toMillis(10), () -> store.purgeSucceeded(clock.instant().minus(config.retention()),
                10_000));
        every(TimeUnit.SECONDS.toMillis(15), () -> metrics.queueCounts(store.counts()));
        dispatcher = named("parley-jobs-dispatcher").newThread(this::dispatchLoop);
        dispatcher.start();
        listener.start(this::wake);
        LOG.info("Job workers {} started for kinds {}", workerId, handlers.keySet());
    }

    /** Makes the dispatcher look for work now rather than at the next poll. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /**
     * Graceful stop: claim nothing more, let running jobs finish within the grace period, and hand
     * back to the queue whatever is still held so another instance can take it at once.
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        listener.stop();
        wake();
        try {
            dispatcher.join(config.shutdownGrace().toMillis());
            long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
            for (ExecutorService executor : executors.values()) {
                executor.shutdown();
                executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executors.values().forEach(ExecutorService::shutdownNow);
        housekeeping.shutdownNow();
        int released = store.release(workerId, clock.instant());
        LOG.info("Job workers {} stopped{}", workerId, released > 0 ? "; released " + released + " jobs" : "");
    }

    private void dispatchLoop() {
        Duration errorPause = Duration.ofMillis(200);
        while (running) {
            boolean claimed = false;
            Duration wait;
            try {
                List<String> noneDue = new ArrayList<>();
                for (String kind : handlers.keySet()) {
                    switch (dispatch(kind)) {
                        case CLAIMED -> claimed = true;
                        case NONE_DUE -> noneDue.add(kind);
                        case NOT_ASKED -> { }
                    }
                }
                wait = claimed ? Duration.ZERO : idleWait(noneDue);
                errorPause = Duration.ofMillis(200);
            } catch (RuntimeException e) {
                // Typically the database is unreachable: back off, keep the thread alive.
                LOG.warn("Claiming jobs failed, retrying in {} ms: {}", errorPause.toMillis(), e.toString());
                sleep(errorPause);
                errorPause = errorPause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10) : errorPause.multipliedBy(2);
                continue;
            }
            if (!claimed) {
                awaitWakeUp(wait);
            }
        }
    }

    /** What one kind's turn of the dispatcher did. */
    private enum Dispatched {
        CLAIMED,
        /** The claim found no job due now. */
        NONE_DUE,
        /** No claim: the kind's workers have enough in hand, or the pool is stopping. */
        NOT_ASKED
    }

    /**
     * How long the dispatcher may sleep: until the next delayed job of a kind that found nothing due
     * becomes due (its NOTIFY came when it was queued, too early to claim it), at most the poll
     * interval. A due time already slept until that the clock still puts ahead means the clock does
     * not follow real time (a test's), so the poll interval applies rather than a busy loop.
     */
    private Duration idleWait(List<String> noneDue) {
        Duration poll = config.pollInterval();
        if (noneDue.isEmpty()) {
            return poll;
        }
        Instant now = clock.instant();
        Instant due = store.nextDue(noneDue, now).orElse(null);
        if (due == null) {
            return poll;
        }
        long nanos = System.nanoTime();
        if (due.equals(timedWakeFor)) {
            return nanos - timedWakeEndsNanos >= 0 ? poll : Duration.ofNanos(timedWakeEndsNanos - nanos);
        }
        // Rounded up to the millisecond the semaphore waits in, plus one, so the job is due on waking.
        Duration untilDue = Duration.ofMillis(Duration.between(now, due).toMillis() + 2);
        if (untilDue.compareTo(poll) >= 0) {
            return poll;
        }
        timedWakeFor = due;
        timedWakeEndsNanos = nanos + untilDue.toNanos();
        return untilDue;
    }

    /**
     * Claims for one kind when its workers are about to run dry. A kind of single jobs holds at
     * most its concurrency plus one batch (running, or waiting in its executor's queue) and refills
     * a whole batch in one statement once no more than {@code concurrency} are left, so claims stay
     * batched under load and workers never wait for the database. A kind with a batch handler
     * claims a batch whenever one of its threads is free. Jobs that ran and wait to be marked done
     * do not hold up the next claim, so the claim and the completion's commit overlap; up to two
     * batches of them, so that a slow database does not let a pool take more and more jobs. Held
     * jobs' leases are renewed by the heartbeat.
     */
    private Dispatched dispatch(String kind) {
        Held held = inFlight.get(kind);
        int concurrency = config.concurrencyOf(kind);
        int batch = config.batchSize();
        boolean batched = handlers.get(kind) instanceof BatchJobHandler;
        int claimed = held.toRun.get();
        int unwritten = held.toMarkDone.get();
        if (!completions.grouped()) {
            // One at a time, the baseline: a job counts until it is marked done, as before batching.
            claimed += unwritten;
            unwritten = 0;
        }
        int refillAt = batched ? (concurrency - 1) * batch : concurrency;
        if (claimed > refillAt || unwritten > 2 * batch || !running) {
            return Dispatched.NOT_ASKED;
        }
        int free = batched ? batch : concurrency + batch - claimed;
        List<ClaimedJob> jobs = claim(kind, Math.min(free, config.batchSize()));
        // A batch handler gets the claimed batch in one task; other handlers one task per job.
        List<List<ClaimedJob>> tasks = batched ? List.of(jobs)
                : jobs.stream().map(List::of).toList();
        for (List<ClaimedJob> task : tasks) {
            if (task.isEmpty()) {
                continue;
            }
            task.forEach(job -> inHand.add(job.id()));
            held.toRun.addAndGet(task.size());
            executors.get(kind).execute(() -> runAndRecord(task, held));
        }
        return jobs.isEmpty() ? Dispatched.NONE_DUE : Dispatched.CLAIMED;
    }

    /**
     * Runs a task's jobs (the runner records failures) and hands those that succeeded to
     * {@link #completions}; each stays in hand, its lease renewed, until it is marked done.
     */
    private void runAndRecord(List<ClaimedJob> task, Held held) {
        List<ClaimedJob> succeeded = List.of();
        try {
            succeeded = runner.run(task, handlers);
        } catch (RuntimeException e) {
            // Not a handler's failure (the runner records those): the leases expire and the jobs run again.
            LOG.warn("Running jobs {} failed: {}", task.stream().map(ClaimedJob::id).toList(), e.toString());
        } finally {
            Set<ClaimedJob> toMarkDone = Set.copyOf(succeeded);
            task.stream().filter(job -> !toMarkDone.contains(job)).forEach(job -> inHand.remove(job.id()));
            held.toMarkDone.addAndGet(succeeded.size());
            held.toRun.addAndGet(-task.size());
            wake();   // the dispatcher may claim while this thread writes
            completions.succeeded(succeeded, job -> {
                inHand.remove(job.id());
                held.toMarkDone.decrementAndGet();
                wake();
            });
        }
    }

    private List<ClaimedJob> claim(String kind, int limit) {
        Instant now = clock.instant();
        return store.claim(kind, workerId, limit, now, now.plus(config.lease()));
    }

    /** The jobs of one kind this pool holds: claimed and not yet run, and run but not yet marked done. */
    private record Held(AtomicInteger toRun, AtomicInteger toMarkDone) {
        Held() {
            this(new AtomicInteger(), new AtomicInteger());
        }
    }

    private void awaitWakeUp(Duration wait) {
        try {
            if (wakeUps.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void every(long periodMillis, Runnable task) {
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Pipeline housekeeping failed: {}", e.toString());
            }
        }, periodMillis, Math.max(periodMillis, 1), TimeUnit.MILLISECONDS);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger sequence = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + sequence.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

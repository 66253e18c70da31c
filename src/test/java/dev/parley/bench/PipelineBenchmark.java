package dev.parley.bench;

import dev.parley.pipeline.Job;
import dev.parley.pipeline.JobHandler;
import dev.parley.pipeline.JobKind;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import dev.parley.pipeline.WorkerPool;
import dev.parley.pipeline.WorkerPools;
import io.micronaut.context.ApplicationContext;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pipeline throughput and latency on this machine, against the test database:
 * no-op jobs/s with batch claims next to one-at-a-time claims (same workers, same run), and the
 * enqueue-to-start latency of single jobs at idle. Prints a Markdown table.
 * Run with {@code scripts/bench-pipeline.sh [jobs]}.
 */
public final class PipelineBenchmark {

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<String> rows = new ArrayList<>();
        for (int batch : new int[]{16, 1}) {
            rows.add(throughput(jobs, batch));
        }
        String latency = idleLatency(200);
        System.out.println();
        System.out.println("| claims | jobs | seconds | jobs/s |");
        System.out.println("|---|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("| enqueue-to-start at idle | samples | p50 ms | p95 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        System.out.println(latency);
    }

    private static ApplicationContext context(int batchSize) {
        return ApplicationContext.builder()
                .environments("test")
                .properties(Map.of(
                        "parley.pipeline.workers-enabled", "false",
                        "parley.pipeline.batch-size", String.valueOf(batchSize),
                        "micronaut.server.port", "-1"))
                .start();
    }

    private static String throughput(int jobs, int batchSize) throws Exception {
        try (ApplicationContext context = context(batchSize)) {
            JobKind<Noop> kind = JobKind.of("bench-noop-" + batchSize + "-" + System.nanoTime(), Noop.class);
            enqueue(context, kind, jobs);
            CountDownLatch done = new CountDownLatch(jobs);
            long start = System.nanoTime();
            try (WorkerPool pool = context.getBean(WorkerPools.class)
                    .create("bench-" + batchSize, handler(kind, job -> done.countDown()))) {
                pool.start();
                if (!done.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("benchmark did not finish");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String label = batchSize == 1 ? "one at a time" : "batches of " + batchSize;
            return String.format("| %s | %d | %.2f | %.0f |", label, jobs, seconds, jobs / seconds);
        }
    }

    private static String idleLatency(int samples) throws Exception {
        try (ApplicationContext context = context(16)) {
            JobKind<Noop> kind = JobKind.of("bench-latency-" + System.nanoTime(), Noop.class);
            AtomicLong startedAt = new AtomicLong();
            List<Double> millis = new ArrayList<>();
            try (WorkerPool pool = context.getBean(WorkerPools.class)
                    .create("bench-latency", handler(kind, job -> startedAt.set(System.nanoTime())))) {
                pool.start();
                Thread.sleep(1000);
                for (int i = 0; i < samples; i++) {
                    startedAt.set(0);
                    long before = System.nanoTime();
                    enqueue(context, kind, 1);
                    while (startedAt.get() == 0) {
                        Thread.onSpinWait();
                    }
                    millis.add((startedAt.get() - before) / 1e6);
                    Thread.sleep(20);
                }
            }
            Collections.sort(millis);
            return String.format("| LISTEN/NOTIFY wake-up | %d | %.1f | %.1f | %.1f |", samples,
                    millis.get(samples / 2), millis.get((int) (samples * 0.95)), millis.get(samples - 1));
        }
    }

    @SuppressWarnings("unchecked")
    private static void enqueue(ApplicationContext context, JobKind<Noop> kind, int count) {
        TransactionOperations<Connection> tx = context.getBean(TransactionOperations.class);
        JobQueue queue = context.getBean(JobQueue.class);
        for (int done = 0; done < count; done += 1000) {
            int chunk = Math.min(1000, count - done);
            tx.executeWrite(status -> {
                for (int i = 0; i < chunk; i++) {
                    queue.enqueue(JobRequest.of(kind, new Noop()));
                }
                return null;
            });
        }
    }

    /** The payload of a no-op job. */
    @Serdeable
    record Noop() {
    }

    private interface Body {
        void run(Job<Noop> job);
    }

    private static JobHandler<Noop> handler(JobKind<Noop> kind, Body body) {
        return new JobHandler<>() {
            @Override
            public JobKind<Noop> kind() {
                return kind;
            }

            @Override
            public void handle(Job<Noop> job) {
                body.run(job);
            }
        };
    }
}

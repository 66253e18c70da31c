package dev.parley.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics per job kind: counters of outcomes in this instance, timers from enqueue to
 * start and to finish, and gauges of the queue as the database holds it (shared by all instances).
 */
@Singleton
class PipelineMetrics {

    private static final List<String> STATES = List.of("queued", "running", "retrying", "dead", "parked");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void started(ClaimedJob job, Instant now) {
        if (job.attempts() == 1) {
            timer("parley.jobs.wait", job.kind()).record(Duration.between(job.createdAt(), now));
        }
    }

    void completed(ClaimedJob job, Instant now) {
        counter("parley.jobs.completed", job.kind()).increment();
        timer("parley.jobs.total", job.kind()).record(Duration.between(job.createdAt(), now));
    }

    void failed(ClaimedJob job) {
        counter("parley.jobs.failed", job.kind()).increment();
    }

    void deferred(ClaimedJob job) {
        counter("parley.jobs.deferred", job.kind()).increment();
    }

    void died(ClaimedJob job) {
        counter("parley.jobs.died", job.kind()).increment();
    }

    void parked(ClaimedJob job) {
        counter("parley.jobs.parked", job.kind()).increment();
    }

    /** Publishes the latest counts read from the database. */
    void queueCounts(List<JobRepository.KindCounts> counts) {
        gauges.values().forEach(g -> g.set(0));
        for (JobRepository.KindCounts c : counts) {
            gauge(c.kind(), "queued").set(c.queued());
            gauge(c.kind(), "running").set(c.running());
            gauge(c.kind(), "retrying").set(c.retrying());
            gauge(c.kind(), "dead").set(c.dead());
            gauge(c.kind(), "parked").set(c.parked());
        }
    }

    void registerKind(String kind) {
        STATES.forEach(state -> gauge(kind, state));
    }

    private AtomicLong gauge(String kind, String state) {
        return gauges.computeIfAbsent(kind + "/" + state, key -> registry.gauge("parley.jobs",
                Tags.of("kind", kind, "state", state), new AtomicLong()));
    }

    private Counter counter(String name, String kind) {
        return registry.counter(name, "kind", kind);
    }

    private Timer timer(String name, String kind) {
        return Timer.builder(name).tag("kind", kind).publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }
}

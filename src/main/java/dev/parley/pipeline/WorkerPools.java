package dev.parley.pipeline;

import dev.parley.common.DatabaseConnections;
import dev.parley.common.PgListener;
import jakarta.inject.Singleton;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds worker pools over the registered handlers: the instance's own, and extra ones in tests. */
@Singleton
public class WorkerPools {

    private final JobStore store;
    private final JobRunner runner;
    private final PipelineMetrics metrics;
    private final Map<String, JobHandler<?>> handlers;
    private final PipelineConfig config;
    private final Clock clock;
    private final DatabaseConnections connections;

    WorkerPools(JobStore store, JobRunner runner, PipelineMetrics metrics, List<JobHandler<?>> handlers,
                PipelineConfig config, Clock clock, DatabaseConnections connections) {
        this.store = store;
        this.runner = runner;
        this.metrics = metrics;
        this.handlers = byKind(handlers);
        this.config = config;
        this.clock = clock;
        this.connections = connections;
    }

    /** A pool over every registered handler. */
    public WorkerPool create(String workerId) {
        return create(workerId, handlers);
    }

    /** A pool over the given handlers only. */
    public WorkerPool create(String workerId, JobHandler<?>... only) {
        return create(workerId, byKind(List.of(only)));
    }

    private WorkerPool create(String workerId, Map<String, JobHandler<?>> handlers) {
        return new WorkerPool(workerId, store, runner, metrics, handlers, config, clock,
                new PgListener(connections, JobStore.CHANNEL, "parley-jobs-listener"));
    }

    private static Map<String, JobHandler<?>> byKind(List<JobHandler<?>> handlers) {
        return handlers.stream().collect(Collectors.toMap(handler -> handler.kind().name(), Function.identity()));
    }

    /** host/pid/random: readable in the jobs table, unique across restarts. */
    static String instanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}

package dev.parley.pipeline;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/** This instance's workers: started with the service, stopped gracefully with it. */
@Singleton
@Requires(property = "parley.pipeline.workers-enabled", notEquals = "false")
class InstanceWorkers {

    private final WorkerPool pool;

    InstanceWorkers(WorkerPools pools) {
        this.pool = pools.create(WorkerPools.instanceId());
    }

    @EventListener
    void onStartup(StartupEvent event) {
        pool.start();
    }

    @PreDestroy
    void stop() {
        pool.close();
    }

    WorkerPool pool() {
        return pool;
    }
}

package dev.parley.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A handler that takes several jobs of its kind at once, for work that is cheaper in bulk (one
 * provider request for many posts). The workers hand it each claimed batch, up to
 * {@link #maxBatch()} jobs.
 */
public interface BatchJobHandler<P> extends JobHandler<P> {

    /** The most jobs handed over in one call. */
    int maxBatch();

    /**
     * Handles the jobs together. Throwing fails every job of the batch alike; otherwise the jobs
     * named in the returned map failed with their exception (a {@link RetryLater} or
     * {@link PermanentFailure} as for single jobs) and all others succeeded.
     */
    Map<Long, Exception> handleBatch(List<Job<P>> jobs) throws Exception;

    @Override
    default void handle(Job<P> job) throws Exception {
        Exception failure = handleBatch(List.of(job)).get(job.id());
        if (failure != null) {
            throw failure;
        }
    }
}

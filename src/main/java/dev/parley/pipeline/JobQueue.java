package dev.parley.pipeline;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** The pipeline's entry point for other features: enqueue a job inside your own transaction. */
@Singleton
public class JobQueue {

    private final JobStore store;
    private final JsonMapper json;
    private final PipelineConfig config;
    private final Clock clock;

    JobQueue(JobStore store, JsonMapper json, PipelineConfig config, Clock clock) {
        this.store = store;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Enqueues a job as part of the caller's transaction: it exists, and the workers hear of it, only
     * if that transaction commits. Must be called inside a transaction.
     *
     * @return the job id, or empty when an identical job (same kind and unique key) is already waiting
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public <P> Optional<Long> enqueue(JobRequest<P> request) {
        Instant now = clock.instant();
        String payload;
        try {
            payload = json.writeValueAsString(Argument.of(request.kind().payloadType()), request.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("job payload is not serialisable", e);
        }
        int attempts = request.maxAttempts() == null ? config.maxAttempts() : request.maxAttempts();
        return store.insert(request.kind().name(), payload, request.uniqueKey(), attempts, now.plus(request.delay()),
                now);
    }

    /**
     * Says that {@code resource} answers again: the jobs parked on it (see {@link ResourceUnavailable})
     * are queued again, due now. Returns how many.
     */
    public int resume(String resource) {
        return store.resume(resource, clock.instant());
    }

    /** How many jobs wait parked on {@code resource}: whether anything needs a probe of it. */
    public long parked(String resource) {
        return store.parked(resource);
    }
}

package dev.parley.pipeline;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The admin view of the pipeline. */
@Singleton
class PipelineService {

    /** {@code parked}: out of attempts while a resource they need (a provider) did not answer; they resume when it does. */
    @Serdeable
    record KindStatus(long queued, long running, long retrying, long dead, long parked) {
    }

    @Serdeable
    record Status(Map<String, KindStatus> jobs, long oldestQueuedAgeMs) {
    }

    private final JobStore store;
    private final Clock clock;

    PipelineService(JobStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Unfinished jobs per kind and the age of the oldest queued one. Admin only. */
    Status status(Actor actor) {
        actor.require(Role.ADMIN);
        List<JobRepository.KindCounts> counts = store.counts();
        Map<String, KindStatus> jobs = new LinkedHashMap<>();
        counts.forEach(c -> jobs.put(c.kind(), new KindStatus(c.queued(), c.running(), c.retrying(), c.dead(),
                c.parked())));
        Instant now = clock.instant();
        long oldest = counts.stream().map(JobRepository.KindCounts::oldestQueued).filter(Objects::nonNull)
                .min(Instant::compareTo).map(t -> Math.max(0, Duration.between(t, now).toMillis())).orElse(0L);
        return new Status(jobs, oldest);
    }

    /** Queues a dead job again with fresh attempts. Admin only; 404 when no dead job has this id. */
    @Transactional
    void retryDead(Actor actor, long id) {
        actor.require(Role.ADMIN).requireActive();
        try {
            if (!store.revive(id, clock.instant())) {
                throw DomainException.notFound("No dead job with this id.");
            }
        } catch (JobStore.DuplicateJob duplicate) {
            throw DomainException.conflict("An identical job is already waiting to run.");
        }
    }
}

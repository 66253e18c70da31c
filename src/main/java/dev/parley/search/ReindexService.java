package dev.parley.search;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import dev.parley.common.Problem;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starting, watching and cancelling reindex runs (admin). */
@Singleton
class ReindexService {

    @Serdeable
    record StartRequest(@Nullable String model, @Nullable String scope, @Nullable Double maxPerSecond) {
    }

    private final ReindexRepository runs;
    private final SearchModels models;
    private final VectorIndexes indexes;
    private final JobQueue jobs;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    ReindexService(ReindexRepository runs, SearchModels models, VectorIndexes indexes, JobQueue jobs,
                   TransactionOperations<Connection> tx, Clock clock) {
        this.tx = tx;
        this.runs = runs;
        this.models = models;
        this.indexes = indexes;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Starts a run for a model (default: the active one). Its vector index is built first, outside
     * any transaction (a concurrent index build waits for open transactions), so writes and search
     * are never blocked. 409 when the model already has a running run on any instance.
     */
    ReindexRun start(Actor actor, StartRequest request) {
        actor.require(Role.ADMIN).requireActive();
        List<Problem.FieldError> errors = new ArrayList<>();
        ReindexScope scope = ReindexScope.fromWire(request.scope()).orElse(null);
        if (scope == null) {
            errors.add(new Problem.FieldError("scope", "must be all or stale"));
        }
        if (request.maxPerSecond() != null && !(request.maxPerSecond() > 0)) {
            errors.add(new Problem.FieldError("maxPerSecond", "must be positive"));
        }
        EmbeddingModel model = request.model() == null || request.model().isBlank() ? models.active()
                : models.named(request.model()).orElse(null);
        if (model == null) {
            errors.add(new Problem.FieldError("model", "is not available (an OpenAI model needs OPENAI_API_KEY)"));
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        indexes.ensure(model.name(), model.dimensions());
        // The run and its first batch job commit together.
        return tx.executeWrite(status -> {
            ReindexRepository.Row row;
            try {
                row = runs.insert(model.name(), scope, request.maxPerSecond(), actor.id(), clock.instant());
            } catch (ReindexRepository.AlreadyRunning running) {
                throw DomainException.conflict("A reindex run for " + model.name() + " is already running.");
            }
            jobs.enqueue(JobRequest.of(ReindexTask.KIND, new ReindexTask(row.id())).uniqueBy("run-" + row.id()));
            return ReindexRun.of(row, clock.instant());
        });
    }

    @Transactional(readOnly = true)
    ReindexRun get(Actor actor, long id) {
        actor.require(Role.ADMIN);
        return ReindexRun.of(runs.find(id).orElseThrow(ReindexService::notFound), clock.instant());
    }

    /** Cancels a running run; its next batch does not start. Cancelling a finished run changes nothing. */
    @Transactional
    ReindexRun cancel(Actor actor, long id) {
        actor.require(Role.ADMIN).requireActive();
        runs.findForUpdate(id).orElseThrow(ReindexService::notFound);
        runs.finish(id, ReindexState.CANCELLED, clock.instant());
        return ReindexRun.of(runs.find(id).orElseThrow(), clock.instant());
    }

    /** The delay before a run's next batch so that it stays under its embeddings per second. */
    static Duration throttle(Double maxPerSecond, int embedded, Duration took) {
        if (maxPerSecond == null || embedded == 0) {
            return Duration.ZERO;
        }
        Duration budget = Duration.ofMillis((long) Math.ceil(embedded * 1000 / maxPerSecond));
        return budget.compareTo(took) > 0 ? budget.minus(took) : Duration.ZERO;
    }

    private static DomainException notFound() {
        return DomainException.notFound("No such reindex run.");
    }
}

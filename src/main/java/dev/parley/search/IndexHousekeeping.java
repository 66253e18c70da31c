package dev.parley.search;

import dev.parley.forum.SearchGateway;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Periodic search upkeep on every instance: the sweep queues published posts that have no vector
 * of the active model (after a crash, an outage, or a deleted embedding), and running reindex runs
 * log their progress. Embedding jobs are unique per post version, so sweeps on several instances
 * do not duplicate work.
 */
@Singleton
class IndexHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(IndexHousekeeping.class);
    private static final int SWEEP_BATCH = 1000;

    private final ReindexRepository runs;
    private final SearchModels models;
    private final SearchGateway search;
    private final Clock clock;

    IndexHousekeeping(ReindexRepository runs, SearchModels models, SearchGateway search, Clock clock) {
        this.runs = runs;
        this.models = models;
        this.search = search;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${parley.reindex.sweep-interval:1h}", initialDelay = "5m")
    void scheduledSweep() {
        int queued = sweep();
        if (queued > 0) {
            LOG.info("Sweep queued {} published posts without a vector of the active model", queued);
        }
    }

    /** Queues embedding for published posts missing a current vector of the active model; returns how many. */
    @Transactional
    int sweep() {
        var missing = runs.missing(models.active().name(), SWEEP_BATCH);
        missing.forEach(post -> search.published(post.id(), post.version()));
        return missing.size();
    }

    @Scheduled(fixedDelay = "${parley.reindex.progress-interval:30s}")
    @Transactional(readOnly = true)
    void logProgress() {
        for (ReindexRepository.Row row : runs.running()) {
            ReindexRun run = ReindexRun.of(row, clock.instant());
            LOG.info("Reindex run {} ({} {}): {}/{} done, {} failed, {}/s, ETA {} s", run.id(), run.model(),
                    run.scope(), run.done(), run.total(), run.failed(), run.perSecond(), run.etaSeconds());
        }
    }
}

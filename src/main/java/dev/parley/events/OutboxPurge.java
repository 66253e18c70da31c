package dev.parley.events;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Deletes events older than {@code parley.events.retention}, in batches. Every instance runs it;
 * deleting what another instance already deleted is a no-op.
 */
@Singleton
class OutboxPurge {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPurge.class);
    private static final int BATCH = 10_000;

    private final OutboxRepository repository;
    private final EventsConfig config;
    private final Clock clock;

    OutboxPurge(OutboxRepository repository, EventsConfig config, Clock clock) {
        this.repository = repository;
        this.config = config;
        this.clock = clock;
    }

    /** Purges until nothing older than the retention is left; returns how many events went. */
    @Scheduled(fixedDelay = "${parley.events.purge-interval:10m}", initialDelay = "1m")
    int purge() {
        int deleted;
        int total = 0;
        do {
            deleted = repository.purge(clock.instant().minus(config.retention()), BATCH);
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.debug("Purged {} events older than {}", total, config.retention());
        }
        return total;
    }
}

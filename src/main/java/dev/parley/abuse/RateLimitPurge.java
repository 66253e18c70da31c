package dev.parley.abuse;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes rate-limit rows whose bucket is full again. Every instance runs it; deleting a row that
 * another instance already deleted is a no-op, and deleting a full bucket loses nothing.
 */
@Singleton
class RateLimitPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitPurge.class);
    private static final int BATCH = 10_000;

    private final RateLimiter limiter;

    RateLimitPurge(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Scheduled(fixedDelay = "${parley.limits.rate.purge-interval:5m}", initialDelay = "1m")
    void purge() {
        int deleted;
        int total = 0;
        do {
            deleted = limiter.purge(BATCH);
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.debug("Purged {} idle rate-limit rows", total);
        }
    }
}

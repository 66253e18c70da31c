package dev.parley.webhooks;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Deletes finished deliveries (with their attempts) older than {@code parley.webhooks.log-retention},
 * in batches, so the log does not grow for ever. Every instance runs it; deleting what another
 * instance already deleted is a no-op. Pending deliveries are kept whatever their age.
 */
@Singleton
class WebhookLogPurge {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookLogPurge.class);
    private static final int BATCH = 10_000;

    private final DeliveryRepository deliveries;
    private final WebhooksConfig config;
    private final Clock clock;

    WebhookLogPurge(DeliveryRepository deliveries, WebhooksConfig config, Clock clock) {
        this.deliveries = deliveries;
        this.config = config;
        this.clock = clock;
    }

    /** Purges until no finished delivery older than the retention is left; returns how many went. */
    @Scheduled(fixedDelay = "${parley.webhooks.purge-interval:1h}", initialDelay = "5m")
    int purge() {
        int deleted;
        int total = 0;
        do {
            deleted = deliveries.purge(clock.instant().minus(config.logRetention()), BATCH);
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.debug("Purged {} webhook deliveries older than {}", total, config.logRetention());
        }
        return total;
    }
}

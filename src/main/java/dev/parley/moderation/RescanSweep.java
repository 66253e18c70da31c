package dev.parley.moderation;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * Sends posts that were published unmoderated (onProviderFailure = publish) back to the provider
 * once it answers again. Jobs are unique per post version, so every instance may run the sweep.
 */
@Singleton
class RescanSweep {

    private static final int BATCH = 500;

    private final DecisionRepository decisions;
    private final ModerationService moderation;
    private final ProviderHealth health;
    private final ModerationScorer scorer;
    private final java.time.Clock clock;

    RescanSweep(DecisionRepository decisions, ModerationService moderation, ProviderHealth health,
                ModerationScorer scorer, java.time.Clock clock) {
        this.clock = clock;
        this.decisions = decisions;
        this.moderation = moderation;
        this.health = health;
        this.scorer = scorer;
    }

    @Scheduled(fixedDelay = "${parley.moderation.rescan-interval:5m}", initialDelay = "1m")
    void sweep() {
        ProviderHealth.Snapshot snapshot = health.snapshot();
        // While the provider fails, rescans would only fail too; after a while they serve as the probe.
        boolean recentlyFailing = snapshot.state() != ProviderHealth.State.OK
                && snapshot.since().isAfter(clock.instant().minus(java.time.Duration.ofMinutes(5)));
        if (!scorer.primary().equals("rules") && !recentlyFailing) {
            enqueueUnmoderated();
        }
    }

    /** Queues a rescan of every post version still marked unmoderated; returns how many. */
    @Transactional
    int enqueueUnmoderated() {
        var pending = decisions.unmoderated(BATCH);
        pending.forEach(p -> moderation.rescan(p.postId(), p.postVersion()));
        return pending.size();
    }
}

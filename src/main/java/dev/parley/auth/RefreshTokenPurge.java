package dev.parley.auth;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Deletes refresh tokens past their expiry, used or not: they open nothing, and a used one is kept
 * until then only so that its reuse can still be recognised and revoke its session.
 */
@Singleton
class RefreshTokenPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenPurge.class);

    private final RefreshTokenRepository tokens;
    private final Clock clock;

    RefreshTokenPurge(RefreshTokenRepository tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
    void purge() {
        int deleted = tokens.deleteExpired(clock.instant());
        if (deleted > 0) {
            LOG.info("Deleted {} expired refresh tokens", deleted);
        }
    }
}

package dev.parley.auth;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Deletes refresh tokens past their expiry, used or not: they open nothing, and a used one is kept
 * until then only so that its reuse can still be recognised and revoke its session. Then deletes the
 * sessions left without tokens, so neither table grows with every sign-in ever made.
 */
@Singleton
class RefreshTokenPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenPurge.class);

    private final RefreshTokenRepository tokens;
    private final SessionRepository sessions;
    private final AuthConfig config;
    private final Clock clock;

    RefreshTokenPurge(RefreshTokenRepository tokens, SessionRepository sessions, AuthConfig config, Clock clock) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
    void purge() {
        Instant now = clock.instant();
        int deleted = tokens.deleteExpired(now);
        // A session younger than an access token's lifetime may still have one in use (its sid).
        int ended = sessions.deleteEnded(now.minus(config.tokenTtl()));
        if (deleted > 0 || ended > 0) {
            LOG.info("Deleted {} expired refresh tokens and {} ended sessions", deleted, ended);
        }
    }
}

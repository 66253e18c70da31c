package dev.parley.auth;

import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Sessions and their refresh tokens: opened at login, rotated on every use, revoked at logout,
 * password change, account deletion, and when a rotated token comes back.
 * <p>
 * A refresh token is 256 bits from {@link SecureRandom}, and only its SHA-256 is stored. A fast
 * unsalted hash is right here, unlike for passwords: nobody can search 2^256 candidates, so a slow
 * hash (Argon2, 19 MiB and ~50 ms per call) would buy nothing but cost on every refresh, and a salt
 * would prevent finding the row by its hash through the unique index.
 */
@Singleton
class Sessions {

    /** What a login or a rotation hands out: the session and its next refresh token. */
    record Issued(long sessionId, String refreshToken, Duration ttl) {
    }

    /** The outcome of presenting a refresh token. */
    sealed interface Rotation {
        record Rotated(long userId, Issued next) implements Rotation {
        }

        /** Unknown, expired, or of a revoked session: refused, nothing changed. */
        record Refused() implements Rotation {
        }

        /** Already rotated: the whole session was revoked. */
        record Reused(long sessionId) implements Rotation {
        }
    }

    private static final int TOKEN_BYTES = 32;

    private final SessionRepository sessions;
    private final RefreshTokenRepository tokens;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final AuthConfig config;
    private final SecureRandom random = new SecureRandom();

    Sessions(SessionRepository sessions, RefreshTokenRepository tokens, TransactionOperations<Connection> tx,
             Clock clock, AuthConfig config) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.tx = tx;
        this.clock = clock;
        this.config = config;
    }

    /** Opens a session for a user who just proved who they are, with its first refresh token. */
    @Transactional
    Issued open(long userId) {
        SessionRow session = sessions.save(SessionRow.open(userId, clock.instant()));
        return issue(session.id());
    }

    /**
     * Exchanges a refresh token for the next one of its session: the presented one becomes used. A
     * token presented again after its rotation means two parties hold it (a stolen copy, or a client
     * that lost the answer): the session is revoked, so neither can go on, and the owner signs in again.
     * Committed before the caller answers, refusals included.
     */
    Rotation rotate(String presented) {
        byte[] hash = hash(presented);
        return tx.executeWrite(status -> {
            Optional<RefreshTokenRow> found = tokens.findByTokenHashForUpdate(hash);
            if (found.isEmpty()) {
                return new Rotation.Refused();
            }
            RefreshTokenRow token = found.get();
            SessionRow session = sessions.findByIdForUpdate(token.sessionId()).orElseThrow();
            Instant now = clock.instant();
            if (session.revokedAt() != null) {
                return new Rotation.Refused();
            }
            if (token.usedAt() != null) {
                sessions.revoke(session.id(), now, wire(SessionEnd.REUSE));
                return new Rotation.Reused(session.id());
            }
            if (!token.expiresAt().isAfter(now)) {
                return new Rotation.Refused();
            }
            tokens.markUsed(token.id(), now);
            return new Rotation.Rotated(session.userId(), issue(session.id()));
        });
    }

    /** The session a refresh token belongs to, if it is known; for logout by refresh token. */
    @Transactional
    Optional<Long> sessionOf(String presented) {
        return tokens.findByTokenHashForUpdate(hash(presented)).map(RefreshTokenRow::sessionId);
    }

    /** Ends one session; its access tokens stop working at their next request. */
    @Transactional
    void revoke(long sessionId, SessionEnd reason) {
        sessions.revoke(sessionId, clock.instant(), wire(reason));
    }

    /** Ends every session of a user but {@code keep} (null: all), in the caller's transaction. */
    @Transactional
    void revokeAllOf(long userId, Long keep, SessionEnd reason) {
        sessions.revokeAllOf(userId, keep == null ? -1 : keep, clock.instant(), wire(reason));
    }

    /** Ends every session of a deleted account and drops their refresh tokens, in the caller's transaction. */
    @Transactional
    void forget(long userId) {
        revokeAllOf(userId, null, SessionEnd.ACCOUNT_DELETED);
        tokens.deleteAllOf(userId);
    }

    private Issued issue(long sessionId) {
        byte[] secret = new byte[TOKEN_BYTES];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        tokens.save(new RefreshTokenRow(null, sessionId, hash(token), now, now.plus(config.refreshTokenTtl()), null));
        return new Issued(sessionId, token, config.refreshTokenTtl());
    }

    private static String wire(SessionEnd reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

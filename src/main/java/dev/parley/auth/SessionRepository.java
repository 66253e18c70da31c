package dev.parley.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface SessionRepository extends GenericRepository<SessionRow, Long> {

    SessionRow save(SessionRow session);

    /** Locks the session: a rotation and a revocation of one family run one after the other. */
    Optional<SessionRow> findByIdForUpdate(long id);

    /** Revokes one session unless it already is; returns 1 when it was live. */
    @Query("""
            UPDATE sessions SET revoked_at = :now, revoked_reason = :reason
             WHERE id = :id AND revoked_at IS NULL""")
    int revoke(long id, Instant now, String reason);

    /** Revokes every live session of a user except {@code keep} (-1 keeps none). */
    @Query("""
            UPDATE sessions SET revoked_at = :now, revoked_reason = :reason
             WHERE user_id = :userId AND revoked_at IS NULL AND id <> :keep""")
    int revokeAllOf(long userId, long keep, Instant now, String reason);

    /**
     * Deletes sessions with no refresh token left (all expired and purged) that began before
     * {@code before}: they can never be renewed, and their last access token expired long ago.
     */
    @Query("""
            DELETE FROM sessions s
             WHERE s.created_at < :before
               AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id)""")
    int deleteEnded(Instant before);
}

package dev.parley.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface RefreshTokenRepository extends GenericRepository<RefreshTokenRow, Long> {

    RefreshTokenRow save(RefreshTokenRow token);

    /**
     * Locks the token row, so that two requests presenting the same token at once are served one
     * after the other: the second finds it used and revokes the family.
     */
    Optional<RefreshTokenRow> findByTokenHashForUpdate(byte[] tokenHash);

    @Query("UPDATE refresh_tokens SET used_at = :now WHERE id = :id")
    void markUsed(long id, Instant now);

    /** A revoked session's tokens can never be used again, so they are of no further use. */
    @Query("DELETE FROM refresh_tokens t USING sessions s WHERE t.session_id = s.id AND s.user_id = :userId")
    int deleteAllOf(long userId);

    /** Tokens past their expiry open nothing; the purge keeps the table to live sessions. */
    @Query("DELETE FROM refresh_tokens WHERE expires_at < :before")
    int deleteExpired(Instant before);
}

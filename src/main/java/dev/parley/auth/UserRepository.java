package dev.parley.auth;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Usernames and emails are unique regardless of case (unique indexes on {@code lower(...)}), so
 * lookups ignore case too: {@code EqualsIgnoreCase} compares {@code LOWER(column) = LOWER(?)}, which
 * those indexes serve.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface UserRepository extends GenericRepository<UserAccount, Long> {

    /** Inserts a user; a taken username or email fails with a unique violation (see UniqueViolations). */
    UserAccount save(UserAccount account);

    Optional<UserAccount> findById(long id);

    /** A live account by name; deleted accounts share one tombstone name and are never found by it. */
    Optional<UserAccount> findByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(String username);

    /** A live account's id by name (deleted accounts are never found by their tombstone name). */
    Optional<Long> findIdByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(String username);

    boolean existsByUsernameEqualsIgnoreCaseAndDeletedAtIsNull(String username);

    /**
     * The account behind an access token, if it is not deleted and the token's session is not revoked:
     * one statement, the lookup every authenticated request makes anyway.
     */
    @Query("""
            SELECT u.* FROM users u
             WHERE u.id = :id AND u.deleted_at IS NULL
               AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = :sessionId AND s.user_id = u.id AND s.revoked_at IS NULL)""")
    Optional<UserAccount> findInLiveSession(long id, long sessionId);

    /**
     * Records where the user's last write ended: the primary's WAL insert position now, after the
     * write's commit, so past its commit record (README "Read replicas"). Never moves back.
     */
    @Query("""
            UPDATE users SET last_write_lsn = GREATEST(COALESCE(last_write_lsn, 0),
                                                      CAST(pg_current_wal_insert_lsn() - CAST('0/0' AS pg_lsn) AS bigint))
             WHERE id = :id""")
    void recordLastWrite(long id);

    @Query("UPDATE users SET password_hash = :passwordHash WHERE id = :id")
    void updatePassword(long id, String passwordHash);

    /**
     * Removes what identifies the person and keeps the row, which posts, votes, reports and the
     * audit refer to (docs/api.md, "Account deletion").
     */
    @Query("""
            UPDATE users SET username = :tombstone, email = NULL, password_hash = NULL, deleted_at = :now,
                   suspension_reason = NULL
             WHERE id = :id AND deleted_at IS NULL""")
    int tombstone(long id, String tombstone, Instant now);

    @Query("SELECT count(*) FROM users WHERE role = 'admin' AND deleted_at IS NULL AND suspended_at IS NULL")
    long countActiveAdmins();

    boolean existsByEmailEqualsIgnoreCase(String email);

    void update(@Id long id, Role role);

    /** Sets or clears the suspension; {@code suspendedAt} null lifts it. */
    void update(@Id long id, @Nullable Instant suspendedAt, @Nullable Long suspendedBy,
                @Nullable String suspensionReason);

    /** What moderation needs to know of an author (the role as text: projections cannot run its converter). */
    @Introspected
    record TrustRow(long id, String username, String role, int trustLevel, boolean trustLevelLocked,
                    Instant createdAt) {
    }

    @Query("SELECT id, username, role, trust_level, trust_level_locked, created_at FROM users WHERE id = ANY (:ids)")
    List<TrustRow> findTrust(Long[] ids);

    /**
     * The automatic rise: only upwards and only while no moderator has locked the level, so a rise
     * computed from a stale read can neither lower a level nor undo a moderator's choice. Returns
     * 1 when the level rose.
     */
    @Query("""
            UPDATE users SET trust_level = :level
             WHERE id = :id AND trust_level < :level AND NOT trust_level_locked""")
    int raiseTrustLevel(long id, int level);

    /** A moderator's setting, which may lower the level, and locks it or lets it rise again. */
    @Query("UPDATE users SET trust_level = :level, trust_level_locked = :locked WHERE id = :id")
    void setTrustLevel(long id, int level, boolean locked);
}

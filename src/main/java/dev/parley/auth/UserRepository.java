package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
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

    Optional<UserAccount> findByUsernameEqualsIgnoreCase(String username);

    boolean existsByUsernameEqualsIgnoreCase(String username);

    boolean existsByEmailEqualsIgnoreCase(String email);

    void update(@Id long id, Role role);

    /** Sets or clears the suspension; {@code suspendedAt} null lifts it. */
    void update(@Id long id, @Nullable Instant suspendedAt, @Nullable Long suspendedBy,
                @Nullable String suspensionReason);
}

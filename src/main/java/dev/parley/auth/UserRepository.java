package dev.parley.auth;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

@Singleton
class UserRepository {

    private static final String COLUMNS = "id, username, email, password_hash, role, suspended_at, created_at";

    private final Sql sql;

    UserRepository(Sql sql) {
        this.sql = sql;
    }

    /** Inserts a user; throws {@link Sql.UniqueViolation} when the username or email is taken. */
    UserAccount insert(String username, String email, String passwordHash, Role role, Instant now) {
        return sql.one("INSERT INTO users (username, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)"
                        + " RETURNING " + COLUMNS,
                s -> {
                    s.setString(1, username);
                    s.setString(2, email);
                    s.setString(3, passwordHash);
                    s.setString(4, role.wire());
                    s.setTimestamp(5, Rows.timestamp(now));
                }, UserRepository::map).orElseThrow();
    }

    Optional<UserAccount> findById(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM users WHERE id = ?", s -> s.setLong(1, id), UserRepository::map);
    }

    /** Usernames are unique regardless of case, so lookups ignore case too. */
    Optional<UserAccount> findByUsername(String username) {
        return sql.one("SELECT " + COLUMNS + " FROM users WHERE lower(username) = lower(?)",
                s -> s.setString(1, username), UserRepository::map);
    }

    boolean existsByUsername(String username) {
        return findByUsername(username).isPresent();
    }

    boolean existsByEmail(String email) {
        return sql.one("SELECT 1 FROM users WHERE lower(email) = lower(?)", s -> s.setString(1, email), r -> true)
                .isPresent();
    }

    UserAccount updateRole(long id, Role role) {
        return sql.one("UPDATE users SET role = ? WHERE id = ? RETURNING " + COLUMNS,
                s -> {
                    s.setString(1, role.wire());
                    s.setLong(2, id);
                }, UserRepository::map).orElseThrow();
    }

    /** Sets or clears the suspension; {@code at} null lifts it. */
    UserAccount updateSuspension(long id, Instant at, Long byUserId, String reason) {
        return sql.one("UPDATE users SET suspended_at = ?, suspended_by = ?, suspension_reason = ? WHERE id = ?"
                        + " RETURNING " + COLUMNS,
                s -> {
                    s.setTimestamp(1, Rows.timestamp(at));   // when, or null to lift
                    s.setObject(2, byUserId);                // the moderator, or null
                    s.setString(3, reason);                  // free text shown to staff only
                    s.setLong(4, id);
                }, UserRepository::map).orElseThrow();
    }

    private static UserAccount map(ResultSet row) throws SQLException {
        return new UserAccount(row.getLong("id"), row.getString("username"), row.getString("email"),
                row.getString("password_hash"), Role.fromWire(row.getString("role")).orElseThrow(),
                Rows.instant(row, "suspended_at"), Rows.instant(row, "created_at"));
    }
}

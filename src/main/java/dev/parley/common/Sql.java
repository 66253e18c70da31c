package dev.parley.common;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Thin JDBC helper over Micronaut Data's {@link JdbcOperations}: statements run on the connection
 * of the caller's transaction, parameters are always bound (user text is never spliced into SQL),
 * and a unique-key violation surfaces as {@link UniqueViolation} so services can answer 409.
 */
@Singleton
public final class Sql {

    /** Binds positional parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Maps the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** A statement broke a unique constraint; {@link #constraint()} names it. */
    public static final class UniqueViolation extends RuntimeException {
        private final String constraint;

        UniqueViolation(String constraint, SQLException cause) {
            super("unique violation on " + constraint, cause);
            this.constraint = constraint;
        }

        public String constraint() {
            return constraint;
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";
    /** PostgreSQL text cannot hold NUL (22021) or characters outside UTF-8 (22P05). */
    private static final java.util.Set<String> UNSTORABLE_TEXT = java.util.Set.of("22021", "22P05");

    private final JdbcOperations jdbc;

    Sql(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) {
        return run(sql, statement -> {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        });
    }

    public <T> Optional<T> one(String sql, Binder binder, RowMapper<T> mapper) {
        List<T> rows = list(sql, binder, mapper);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row, got " + rows.size());
        }
        return rows.stream().findFirst();
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of rows it touched. */
    public int update(String sql, Binder binder) {
        return run(sql, statement -> {
            binder.bind(statement);
            return statement.executeUpdate();
        });
    }

    private <R> R run(String sql, StatementWork<R> work) {
        try {
            return jdbc.prepareStatement(sql, work::apply);
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException cause && UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                String constraint = cause instanceof org.postgresql.util.PSQLException pg
                        && pg.getServerErrorMessage() != null ? pg.getServerErrorMessage().getConstraint() : null;
                throw new UniqueViolation(constraint == null ? "unknown" : constraint, cause);
            }
            if (e.getCause() instanceof SQLException cause && UNSTORABLE_TEXT.contains(cause.getSQLState())) {
                throw DomainException.malformed("The request contains characters that cannot be stored.");
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface StatementWork<R> {
        R apply(PreparedStatement statement) throws SQLException;
    }
}

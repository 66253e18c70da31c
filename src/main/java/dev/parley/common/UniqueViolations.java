package dev.parley.common;

import io.micronaut.data.exceptions.DataAccessException;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Turns a broken unique constraint into the caller's own exception. Repositories report every failed
 * statement as Micronaut Data's {@link DataAccessException}; only SQLState 23505 underneath it means
 * "a row with this key exists", which services answer with 409 when a concurrent request won the race.
 */
public final class UniqueViolations {

    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueViolations() {
    }

    /** Runs {@code write}; a unique violation becomes {@code onViolation}, anything else passes through. */
    public static <T> T translate(Supplier<T> write, Supplier<? extends RuntimeException> onViolation) {
        try {
            return write.get();
        } catch (DataAccessException e) {
            if (isUniqueViolation(e)) {
                throw onViolation.get();
            }
            throw e;
        }
    }

    public static boolean isUniqueViolation(DataAccessException failure) {
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

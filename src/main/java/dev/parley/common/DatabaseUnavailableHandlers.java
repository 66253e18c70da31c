package dev.parley.common;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Maps the exceptions through which the data layer reports trouble (a failed statement, no
 * connection, no transaction) to 503 when the database is unreachable (see {@link DatabaseFailures}),
 * with one warning line instead of a stack trace per request, to 400 when a statement refused text the
 * database cannot store (see {@link StorableText#refusedByDatabase}), and to the usual 500 otherwise.
 * Anything else that still arrives as a 500 with a lost database underneath is turned into a 503 by
 * {@link ProblemErrorResponseProcessor}.
 */
final class DatabaseUnavailableHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandlers.class);

    private DatabaseUnavailableHandlers() {
    }

    abstract static class Base<E extends RuntimeException> implements ExceptionHandler<E, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, E exception) {
            if (DatabaseFailures.answersUnavailable(exception)) {
                LOG.warn("Database unavailable, answering 503 to {} {}: {}", request.getMethod(), request.getPath(),
                        exception.toString());
                return DatabaseFailures.unavailableResponse();
            }
            if (StorableText.refusedByDatabase(exception)) {
                HttpStatus status = HttpStatus.BAD_REQUEST;
                return ProblemResponses.of(HttpResponse.status(status), status,
                        "The request contains characters that cannot be stored.", List.of());
            }
            LOG.error("Unexpected error in {} {}", request.getMethod(), request.getPath(), exception);
            HttpStatus status = HttpStatus.INTERNAL_SERVER_ERROR;
            return ProblemResponses.of(HttpResponse.status(status), status,
                    "The server could not complete the request.", List.of());
        }
    }

    @Produces
    @Singleton
    static final class DataAccess extends Base<io.micronaut.data.exceptions.DataAccessException> {
    }

    @Produces
    @Singleton
    static final class Connection extends Base<io.micronaut.data.connection.exceptions.ConnectionException> {
    }

    @Produces
    @Singleton
    static final class JdbcConnection
            extends Base<io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException> {
    }

    @Produces
    @Singleton
    static final class TransactionConnection
            extends Base<io.micronaut.transaction.jdbc.exceptions.CannotGetJdbcConnectionException> {
    }

    @Produces
    @Singleton
    static final class Transaction extends Base<io.micronaut.transaction.exceptions.TransactionException> {
    }
}

package dev.parley.common;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;

/**
 * Tells a lost database (down, restarting, unreachable, connection pool starved) from a failed
 * statement. A lost database is a 503 with {@code Retry-After}: the request may well succeed a
 * little later, and the client should not be told the server is broken. The pool's bounded
 * {@code connection-timeout}, the driver's network timeout and the statement timeout
 * ({@link DatabaseSettings}) make sure the answer comes in seconds rather than never, and the
 * {@link DatabaseBreaker} in milliseconds once the database is known to be away.
 */
public final class DatabaseFailures {

    /** What a client waits before retrying while the database is away. */
    public static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(5);

    /**
     * SQLSTATEs of a lost server: class 08 (connection exception: refused, broken, gone) and the
     * shutdown / starting-up states admin_shutdown, crash_shutdown, cannot_connect_now.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    /**
     * SQLSTATEs of a statement the database gave up on: query_canceled (the statement timeout, e.g.
     * behind a lock held by a stuck session) and lock_not_available. The database is there but cannot
     * answer in time; the request may well succeed a little later.
     */
    private static final Set<String> TIMED_OUT_STATES = Set.of("57014", "55P03");

    private DatabaseFailures() {
    }

    /** Whether the request should answer 503: the database is unreachable or did not answer in time. */
    public static boolean answersUnavailable(Throwable failure) {
        return isUnavailable(failure) || isTimedOut(failure);
    }

    /** Whether {@code failure} (or anything that caused it) is a statement the database cancelled for taking too long. */
    public static boolean isTimedOut(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && TIMED_OUT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code failure} (or anything that caused it) says the database cannot be reached. */
    public static boolean isUnavailable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            // Hikari hands out a closed stand-in once it evicted a connection that broke under a
            // transaction; cleaning up that transaction then fails with this, hiding the first error.
            if (t instanceof SQLException && "Connection is closed".equals(t.getMessage())) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed != t && isUnavailable(suppressed)) {
                    return true;
                }
            }
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException
                    || t instanceof SocketTimeoutException || t instanceof EOFException) {
                return true;
            }
            if (t instanceof SocketException && !(t.getCause() instanceof SQLException)) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The 503 problem answered while the database is away. */
    public static MutableHttpResponse<Problem> unavailableResponse() {
        HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
        MutableHttpResponse<?> base = HttpResponse.status(status)
                .header(HttpHeaders.RETRY_AFTER, ProblemResponses.retryAfterSeconds(RETRY_AFTER));
        return ProblemResponses.of(base, status,
                "The service cannot reach its database right now. Try again shortly.", List.of());
    }
}

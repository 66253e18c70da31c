package dev.parley.common;

import java.time.Duration;
import java.util.List;

/**
 * A failure that services report in domain terms; {@link DomainExceptionHandler} is the single place
 * that turns it into an HTTP status. Services never throw HTTP types.
 */
public class DomainException extends RuntimeException {

    /** What went wrong, independent of the transport. */
    public enum Kind { MALFORMED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, INVALID, RATE_LIMITED, UNAVAILABLE }

    private final Kind kind;
    private final List<Problem.FieldError> fieldErrors;
    private final Duration retryAfter;

    protected DomainException(Kind kind, String detail, List<Problem.FieldError> fieldErrors) {
        this(kind, detail, fieldErrors, null);
    }

    protected DomainException(Kind kind, String detail, List<Problem.FieldError> fieldErrors, Duration retryAfter) {
        super(detail, null, false, false);
        this.kind = kind;
        this.fieldErrors = List.copyOf(fieldErrors);
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public List<Problem.FieldError> fieldErrors() {
        return fieldErrors;
    }

    /** How long the client should wait before trying again (the {@code Retry-After} header), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static DomainException malformed(String detail) {
        return new DomainException(Kind.MALFORMED, detail, List.of());
    }

    public static DomainException unauthenticated(String detail) {
        return new DomainException(Kind.UNAUTHENTICATED, detail, List.of());
    }

    public static DomainException forbidden(String detail) {
        return new DomainException(Kind.FORBIDDEN, detail, List.of());
    }

    public static DomainException notFound(String detail) {
        return new DomainException(Kind.NOT_FOUND, detail, List.of());
    }

    public static DomainException conflict(String detail) {
        return new DomainException(Kind.CONFLICT, detail, List.of());
    }

    public static DomainException invalid(List<Problem.FieldError> errors) {
        return new DomainException(Kind.INVALID, "The request has invalid fields.", errors);
    }

    public static DomainException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** 429: the caller went over a rate limit and may try again after {@code retryAfter}. */
    public static DomainException rateLimited(String detail, Duration retryAfter) {
        return new DomainException(Kind.RATE_LIMITED, detail, List.of(), retryAfter);
    }

    /** 503: something the service depends on is down; the client may try again after {@code retryAfter}. */
    public static DomainException unavailable(String detail, Duration retryAfter) {
        return new DomainException(Kind.UNAVAILABLE, detail, List.of(), retryAfter);
    }
}

package dev.parley.common;

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

    protected DomainException(Kind kind, String detail, List<Problem.FieldError> fieldErrors) {
        super(detail, null, false, false);
        this.kind = kind;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public Kind kind() {
        return kind;
    }

    public List<Problem.FieldError> fieldErrors() {
        return fieldErrors;
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
}

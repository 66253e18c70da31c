package dev.parley.common;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.List;

/** Builds problem+json responses so that every error path produces the same shape. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static MutableHttpResponse<Problem> of(MutableHttpResponse<?> base, HttpStatus status, String detail,
                                                  List<Problem.FieldError> errors) {
        Problem problem = new Problem(typeOf(status), status.getReason(), status.getCode(), detail,
                errors == null || errors.isEmpty() ? null : errors);
        return base.status(status).contentType(Problem.MEDIA_TYPE).body(problem);
    }

    /** The HTTP status of each kind of domain failure. */
    public static HttpStatus statusOf(DomainException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case INVALID -> HttpStatus.UNPROCESSABLE_ENTITY;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    /** The problem document of a domain failure. */
    public static Problem problemOf(DomainException exception) {
        HttpStatus status = statusOf(exception.kind());
        return new Problem(typeOf(status), status.getReason(), status.getCode(), exception.getMessage(),
                exception.fieldErrors().isEmpty() ? null : exception.fieldErrors());
    }

    /** A {@code Retry-After} value: whole seconds, rounded up, at least 1 (0 would invite a busy loop). */
    public static String retryAfterSeconds(java.time.Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    /** A stable, documented identifier per status, e.g. {@code https://parley.dev/problems/not-found}. */
    static String typeOf(HttpStatus status) {
        String slug = status.getReason().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        return "https://parley.dev/problems/" + slug;
    }
}

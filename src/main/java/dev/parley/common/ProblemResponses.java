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

    /** A stable, documented identifier per status, e.g. {@code https://parley.dev/problems/not-found}. */
    static String typeOf(HttpStatus status) {
        String slug = status.getReason().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        return "https://parley.dev/problems/" + slug;
    }
}

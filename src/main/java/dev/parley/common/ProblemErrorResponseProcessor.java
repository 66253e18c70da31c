package dev.parley.common;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Replaces Micronaut's default error body so that framework errors (unknown route, malformed JSON,
 * body too large, security rejections) come out as problem+json too. Framework messages can name
 * classes or echo input, so only generic details are passed through for 5xx.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    @NonNull
    public MutableHttpResponse<Problem> processResponse(@NonNull ErrorContext context,
                                                        @NonNull MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        if (status.getCode() >= 500 && context.getRootCause().filter(DatabaseFailures::answersUnavailable).isPresent()) {
            // A lost database that reached us as some other exception: still a 503 with Retry-After.
            response.header(io.micronaut.http.HttpHeaders.RETRY_AFTER,
                    ProblemResponses.retryAfterSeconds(DatabaseFailures.RETRY_AFTER));
            return ProblemResponses.of(response, HttpStatus.SERVICE_UNAVAILABLE,
                    "The service cannot reach its database right now. Try again shortly.", List.of());
        }
        if (status.getCode() >= 500) {
            return ProblemResponses.of(response, status, "The server could not complete the request.", List.of());
        }
        // Field errors from the framework (conversion failures) quote types and parser positions:
        // keep only the ones that read as plain sentences.
        List<Problem.FieldError> fieldErrors = context.getErrors().stream()
                .filter(e -> e.getPath().isPresent() && FrameworkMessages.isPlain(e.getMessage()))
                .map(e -> new Problem.FieldError(e.getPath().get(), e.getMessage()))
                .toList();
        String detail = fieldErrors.isEmpty()
                ? context.getErrors().stream().map(Error::getMessage).findFirst().orElse(status.getReason())
                : "The request has invalid fields.";
        return ProblemResponses.of(response, status, FrameworkMessages.sanitize(status, detail), fieldErrors);
    }
}

package dev.parley.common;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The one mapping from domain failures to HTTP statuses. */
@Produces
@Singleton
@Requires(classes = {DomainException.class, ExceptionHandler.class})
final class DomainExceptionHandler implements ExceptionHandler<DomainException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, DomainException exception) {
        HttpStatus status = ProblemResponses.statusOf(exception.kind());
        var response = HttpResponse.status(status);
        if (exception.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, ProblemResponses.retryAfterSeconds(exception.retryAfter()));
        }
        return ProblemResponses.of(response, status, exception.getMessage(), exception.fieldErrors());
    }
}

package dev.parley.common;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;

import java.util.Comparator;
import java.util.List;

/**
 * Bean-validation failures are 422 with one entry per field (API.md), where Micronaut's default
 * would answer 400 with a message that embeds the method's parameter names.
 */
@Produces
@Singleton
@Replaces(ConstraintExceptionHandler.class)
final class ValidationExceptionHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        List<Problem.FieldError> errors = exception.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        HttpStatus status = HttpStatus.UNPROCESSABLE_ENTITY;
        return ProblemResponses.of(HttpResponse.status(status), status, "The request has invalid fields.", errors);
    }

    /** The last node of the path, e.g. {@code create.request.title} becomes {@code title}. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String field = null;
        for (Path.Node node : violation.getPropertyPath()) {
            field = node.getName();
        }
        return field == null ? "body" : field;
    }
}

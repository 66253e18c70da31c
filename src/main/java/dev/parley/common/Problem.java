package dev.parley.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** An RFC 9457 problem document; the only error body the API ever returns. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "An RFC 9457 problem document (`application/problem+json`), the body of every error.")
public record Problem(
        @Schema(description = "A stable identifier of the kind of problem, one per status",
                example = "https://parley.dev/problems/unprocessable-entity") String type,
        @Schema(description = "The status's reason phrase", example = "Unprocessable Entity") String title,
        @Schema(description = "The HTTP status", example = "422") int status,
        @Schema(description = "What went wrong, in words; never stack traces, SQL or class names",
                example = "The request has invalid fields.") String detail,
        @Schema(description = "Validation failures (422 only): one entry per field")
        @Nullable List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @Serdeable
    @Schema(name = "FieldError", description = "One field that failed validation")
    public record FieldError(@Schema(description = "The field's name in the request", example = "title") String field,
                             @Schema(description = "What is wrong with it", example = "must be 3 to 200 characters")
                             String message) {
    }
}

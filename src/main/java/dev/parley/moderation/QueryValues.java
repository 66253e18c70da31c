package dev.parley.moderation;

import dev.parley.common.DomainException;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters that arrive as text and are refused with a 422 naming the field, not a bare 400. */
final class QueryValues {

    private QueryValues() {
    }

    @Nullable
    static Instant instant(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    @Nullable
    static Double number(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(value);
        } catch (NumberFormatException e) {
            throw DomainException.invalid(field, "must be a number");
        }
    }
}

package dev.parley.search;

import dev.parley.common.DomainException;
import dev.parley.common.Problem;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** A search request's filter parameters, checked: a bad one is a 422 naming it, and nothing is searched. */
final class SearchFilters {

    /** Usernames are shorter; a longer value cannot name anyone. */
    static final int MAX_AUTHOR_LENGTH = 100;

    /**
     * The filter without its author, and the author's username (null: any author), which the caller
     * resolves to an id.
     */
    record Parsed(SearchFilter filter, @Nullable String author) {

        SearchFilter byAuthor(long authorId) {
            return new SearchFilter(filter.categorySlug(), authorId, filter.since(), filter.until());
        }
    }

    private SearchFilters() {
    }

    static Parsed parse(SearchService.Narrowing narrowing) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Instant since = instant("since", narrowing.since(), errors);
        Instant until = instant("until", narrowing.until(), errors);
        if (since != null && until != null && !since.isBefore(until)) {
            errors.add(new Problem.FieldError("until", "must be after since"));
        }
        String author = blankToNull(narrowing.author());
        if (author != null && author.length() > MAX_AUTHOR_LENGTH) {
            errors.add(new Problem.FieldError("author", "must be a username of at most " + MAX_AUTHOR_LENGTH
                    + " characters"));
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return new Parsed(new SearchFilter(blankToNull(narrowing.category()), null, since, until), author);
    }

    private static Instant instant(String field, @Nullable String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z"));
            return null;
        }
    }

    private static String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

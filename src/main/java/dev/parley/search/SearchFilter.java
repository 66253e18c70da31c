package dev.parley.search;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * What a search is narrowed to. Every condition is on the matched post, the one a result shows:
 * its thread's category, its author, and when it was written ({@code since} inclusive, {@code until}
 * exclusive). The post rather than the thread, so that a result can always be checked against its
 * filter, and so that a recent answer in an old thread is found by a search for recent posts. Each
 * null condition is absent.
 */
record SearchFilter(@Nullable String categorySlug, @Nullable Long authorId, @Nullable Instant since,
                    @Nullable Instant until) {

    static final SearchFilter NONE = new SearchFilter(null, null, null, null);

    static SearchFilter category(@Nullable String categorySlug) {
        return new SearchFilter(categorySlug, null, null, null);
    }

    /**
     * Which conditions are present, as a small number: the nearest statement has one text per shape,
     * so that a cached generic plan never carries "parameter is null" branches.
     */
    int shape() {
        return (categorySlug != null ? 1 : 0) | (authorId != null ? 2 : 0) | (since != null ? 4 : 0)
                | (until != null ? 8 : 0);
    }
}

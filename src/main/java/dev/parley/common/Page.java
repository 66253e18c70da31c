package dev.parley.common;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.function.Function;

/** One page of a cursor-paginated list; {@code nextCursor} is null on the last page. */
@Serdeable
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from a query that fetched {@code limit + 1} rows: the extra row only tells that
     * another page exists, and the cursor points after the last row that is returned.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, Cursor> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorOf.apply(items.get(limit - 1)).encode());
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}

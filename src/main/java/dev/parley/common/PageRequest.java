package dev.parley.common;

/** A validated {@code ?limit=&cursor=} pair. */
public record PageRequest(int limit, String cursor) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static PageRequest of(Integer limit, String cursor) {
        int value = limit == null ? DEFAULT_LIMIT : limit;
        if (value < 1 || value > MAX_LIMIT) {
            throw DomainException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return new PageRequest(value, cursor == null || cursor.isEmpty() ? null : cursor);
    }

    /** Rows to fetch: one more than the page, to learn whether a next page exists. */
    public int fetchSize() {
        return limit + 1;
    }
}

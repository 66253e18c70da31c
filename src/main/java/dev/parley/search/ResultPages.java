package dev.parley.search;

import dev.parley.common.Cursor;
import dev.parley.common.DomainException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Pages of search results behind an opaque cursor. Results are in one total order, score descending
 * then thread id ascending (the tie-breaker), and a cursor holds the last result's (score, thread id):
 * the next page is the results strictly after it in that order (a keyset, not an offset), so a page
 * never repeats a thread of an earlier page, and skips none, as long as a thread's score does not
 * change between the two requests. Each ranking answers a depth (how many threads, best first); the
 * cursor also carries how many threads were shown, so the next page asks for enough at once.
 * <p>
 * The cursor is tied to its search (query, mode and filter, as a digest): one used with another search
 * is a 400 rather than a page of something else.
 */
final class ResultPages {

    /** Threads a search pages through at most: deeper, a semantic walk would stop at pgvector's scan limit. */
    static final int MAX_DEPTH = 500;

    static final Comparator<Hit> ORDER = Comparator.comparingDouble(Hit::score).reversed()
            .thenComparingLong(Hit::threadId);

    /** Where the previous page ended. */
    record Position(double score, long threadId, int shown) {
    }

    /** A page of hits and the cursor of the next one (null on the last page). */
    record Page(List<Hit> hits, String nextCursor) {
    }

    private ResultPages() {
    }

    /**
     * The page of {@code size} hits after {@code after} (null: the first page) of the ranking.
     *
     * @param ranking the best {@code depth} threads for a depth, in any order (they are sorted here)
     */
    static Page page(IntFunction<List<Hit>> ranking, Position after, int size, String searchDigest) {
        int shown = after == null ? 0 : after.shown();
        int depth = Math.min(shown + size, MAX_DEPTH) + 1;
        List<Hit> rest;
        while (true) {
            List<Hit> ranked = new ArrayList<>(ranking.apply(depth));
            ranked.sort(ORDER);
            rest = ranked.stream().filter(hit -> after == null || isAfter(hit, after)).toList();
            // Short of a full page only when the ranking ran out, or when threads now ranked before the
            // cursor (new posts) took places; then look deeper.
            if (rest.size() > size || ranked.size() < depth || depth > MAX_DEPTH) {
                break;
            }
            depth = Math.min(depth * 2, MAX_DEPTH + 1);
        }
        int room = Math.max(0, Math.min(size, MAX_DEPTH - shown));
        List<Hit> hits = rest.subList(0, Math.min(room, rest.size()));
        boolean more = rest.size() > hits.size() && shown + hits.size() < MAX_DEPTH && !hits.isEmpty();
        String next = more ? encode(hits.get(hits.size() - 1), shown + hits.size(), searchDigest) : null;
        return new Page(hits, next);
    }

    private static boolean isAfter(Hit hit, Position after) {
        int byScore = Double.compare(after.score(), hit.score());
        return byScore > 0 || byScore == 0 && hit.threadId() > after.threadId();
    }

    private static String encode(Hit last, int shown, String searchDigest) {
        return Cursor.of(searchDigest, last.score(), last.threadId(), shown).encode();
    }

    /** A client's cursor for the search with this digest; null for none, 400 when it is not one of this search's. */
    static Position decode(String cursor, String searchDigest) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        Cursor decoded = Cursor.decode(cursor, 4);
        if (!decoded.keys().get(0).equals(searchDigest)) {
            throw DomainException.malformed("The cursor belongs to another search; use it with the same q, mode and "
                    + "filters.");
        }
        long shown = decoded.longAt(3);
        if (shown < 1 || shown >= MAX_DEPTH) {
            throw DomainException.malformed("The cursor is not valid; use the nextCursor of a previous page.");
        }
        return new Position(decoded.doubleAt(1), decoded.longAt(2), (int) shown);
    }

    /** A short digest of what a search asks, which its cursors carry. */
    static String digest(String query, String mode, SearchFilter filter, String author) {
        String text = String.join("\u0000", query, mode, String.valueOf(filter.categorySlug()),
                author == null ? "" : author.toLowerCase(java.util.Locale.ROOT), String.valueOf(filter.since()),
                String.valueOf(filter.until()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

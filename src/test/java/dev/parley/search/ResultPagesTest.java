package dev.parley.search;

import dev.parley.common.DomainException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Keyset pages over a ranking, the highlight marks and the any-word query: pure logic. */
class ResultPagesTest {

    /** 23 threads, scores in runs of equal values, handed over in a shuffled order. */
    private static List<Hit> ranking() {
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            long thread = (i * 7L) % 23 + 1;
            hits.add(new Hit(thread, "t", "c", thread * 10, "s", (thread / 4) * -0.25));
        }
        return hits;
    }

    @Test
    void pagesFollowScoreThenThreadIdWithoutRepeatsOrGaps() {
        List<Hit> all = ranking();
        List<Long> expected = all.stream().sorted(ResultPages.ORDER).map(Hit::threadId).toList();
        for (int size : new int[] {1, 2, 4, 5, 23}) {
            List<Long> seen = new ArrayList<>();
            ResultPages.Position after = null;
            while (true) {
                ResultPages.Page page = ResultPages.page(depth -> all.stream().sorted(ResultPages.ORDER).limit(depth)
                        .toList(), after, size, "d");
                page.hits().forEach(h -> seen.add(h.threadId()));
                if (page.nextCursor() == null) {
                    break;
                }
                after = ResultPages.decode(page.nextCursor(), "d");
            }
            assertEquals(expected, seen, "pages of " + size);
        }
    }

    @Test
    void aCursorIsRefusedByAnotherSearch() {
        List<Hit> all = ranking();
        String cursor = ResultPages.page(depth -> all, null, 3, "mine").nextCursor();
        assertThrows(DomainException.class, () -> ResultPages.decode(cursor, "other"));
        assertThrows(DomainException.class, () -> ResultPages.decode("garbage", "mine"));
        assertNull(ResultPages.decode(null, "mine"));
        assertEquals(3, ResultPages.decode(cursor, "mine").shown());
    }

    @Test
    void marksBecomeUtf16RangesOfThePlainText() {
        Highlight h = Highlighter.parse("😀 \u0001Password\u0002 and \u0001reset\u0002!");
        assertEquals("😀 Password and reset!", h.text());
        assertEquals(List.of(new Highlight.Range(3, 11), new Highlight.Range(16, 21)), h.ranges());
        assertEquals("Password", h.text().substring(3, 11));
    }

    @Test
    void theAnyWordQueryDropsQuotesExclusionsAndOr() {
        assertEquals("password or reset or email", Highlighter.anyTerm("\"password reset\" or email -spam"));
        assertEquals("", Highlighter.anyTerm("-spam"));
    }
}

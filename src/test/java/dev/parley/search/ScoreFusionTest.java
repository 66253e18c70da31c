package dev.parley.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hybrid search's score fusion: semantic score plus a weighted keyword score, on fixed scales. */
class ScoreFusionTest {

    private static Hit hit(long thread, double score) {
        return new Hit(thread, "t" + thread, "c", thread * 10, "s", score);
    }

    @Test
    void aConfidentKeywordMatchLiftsAThreadAndAWeakOneDoesNot() {
        List<Hit> semantic = List.of(hit(1, 0.60), hit(2, 0.55), hit(3, 0.50));
        // Thread 3 has every term of the query (0.7), thread 2 one of several (0.1).
        List<Hit> keyword = List.of(hit(3, 0.70), hit(2, 0.12));
        assertEquals(List.of(3L, 2L, 1L), threads(SearchService.fuse(semantic, keyword, 0.5, 10)));
        assertEquals(List.of(1L, 2L, 3L), threads(SearchService.fuse(semantic, List.of(hit(3, 0.05)), 0.5, 10)));
    }

    @Test
    void aThreadOnlyKeywordFoundScoresTheSemanticListsLowestThere() {
        List<Hit> fused = SearchService.fuse(List.of(hit(1, 0.6), hit(2, 0.4)), List.of(hit(9, 0.5)), 1.0, 10);
        assertEquals(List.of(9L, 1L, 2L), threads(fused));
        assertEquals(0.4 + 0.5, fused.get(0).score(), 1e-9);
    }

    @Test
    void thePageIsCutToSize() {
        assertEquals(List.of(1L), threads(SearchService.fuse(List.of(hit(1, 0.6), hit(2, 0.4)), List.of(), 1.0, 1)));
    }

    private static List<Long> threads(List<Hit> hits) {
        return hits.stream().map(Hit::threadId).toList();
    }
}

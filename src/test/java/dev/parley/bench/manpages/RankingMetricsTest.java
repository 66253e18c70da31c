package dev.parley.bench.manpages;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RankingMetricsTest {

    @Test
    void aPerfectRankingScoresOne() {
        RankingMetrics.Scores s = RankingMetrics.score(List.of("a", "b", "x"), Map.of("a", 2, "b", 1));

        assertEquals(1.0, s.recallAt5());
        assertEquals(1.0, s.mrrAt10());
        assertEquals(1.0, s.ndcgAt10(), 1e-9);
    }

    @Test
    void theFirstRelevantRankSetsMrrAndRecallCountsTheFirstFiveOnly() {
        RankingMetrics.Scores s = RankingMetrics.score(List.of("x", "y", "b", "z", "w", "a"), Map.of("a", 2, "b", 1));

        assertEquals(0.5, s.recallAt5());
        assertEquals(1.0 / 3, s.mrrAt10(), 1e-9);
        double dcg = 1 / (Math.log(4) / Math.log(2)) + 3 / (Math.log(7) / Math.log(2));
        double ideal = 3 + 1 / (Math.log(3) / Math.log(2));
        assertEquals(dcg / ideal, s.ndcgAt10(), 1e-9);
    }

    @Test
    void recallIsCappedAtFivePlacesAndAMissScoresZero() {
        Map<String, Integer> seven = Map.of("a", 1, "b", 1, "c", 1, "d", 1, "e", 1, "f", 1, "g", 1);

        assertEquals(1.0, RankingMetrics.score(List.of("a", "b", "c", "d", "e"), seven).recallAt5());
        RankingMetrics.Scores miss = RankingMetrics.score(List.of("x", "y"), Map.of("a", 2));
        assertEquals(0.0, miss.recallAt5());
        assertEquals(0.0, miss.mrrAt10());
        assertEquals(0.0, miss.ndcgAt10());
    }
}

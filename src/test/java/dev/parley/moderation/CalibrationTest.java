package dev.parley.moderation;

import dev.parley.moderation.Calibration.Outcome;
import dev.parley.moderation.Calibration.Row;
import dev.parley.moderation.Calibration.SuggestionStatus;
import dev.parley.moderation.Calibration.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The calibration arithmetic on hand-made evidence: counts, precision and the suggested threshold. */
class CalibrationTest {

    private static final Thresholds DEFAULT_HARASSMENT = new Thresholds(0.5, 0.9);

    /** Scores 0.52..0.85: approved at 0.52, 0.55, 0.60; rejected at 0.58, 0.65, 0.70, 0.75, 0.80, 0.85. */
    private static List<Outcome> harassment(String forum) {
        List<Outcome> outcomes = new ArrayList<>();
        for (double score : new double[]{0.52, 0.55, 0.60}) {
            outcomes.add(new Outcome("harassment", forum, score, Verdict.APPROVED));
        }
        for (double score : new double[]{0.58, 0.65, 0.70, 0.75, 0.80, 0.85}) {
            outcomes.add(new Outcome("harassment", forum, score, Verdict.REJECTED));
        }
        return outcomes;
    }

    private static List<Row> rows(List<Outcome> outcomes, double target) {
        return Calibration.rows(outcomes, target, Calibration.MIN_ITEMS, (forum, harm) -> DEFAULT_HARASSMENT);
    }

    @Test
    void countsApprovalsAndRejectionsAndTheirPrecision() {
        Row row = rows(harassment("general"), 0.9).get(0);
        assertEquals("harassment", row.harmCategory());
        assertEquals("general", row.forumCategory());
        assertEquals(3, row.approved());
        assertEquals(6, row.rejected());
        assertEquals(9, row.resolved());
        assertEquals(6.0 / 9, row.precision(), 1e-12);
        assertEquals(0, row.missed());
        assertEquals(DEFAULT_HARASSMENT, row.threshold());
    }

    @Test
    void theSuggestionIsTheLowestRecordedScoreWhosePrecisionReachesTheTarget() {
        // At 0.58: 6 of 7 (0.857); at 0.60: 5 of 6 (0.833); at 0.65: 5 of 5.
        Row row = rows(harassment("general"), 0.9).get(0);
        assertEquals(SuggestionStatus.SUGGESTED, row.status());
        assertEquals(0.65, row.suggestion().flag(), 1e-12);
        assertEquals(5, row.suggestion().resolved());
        assertEquals(5, row.suggestion().rejected());
        assertEquals(0, row.suggestion().approved());
        assertEquals(1.0, row.suggestion().precision(), 1e-12);
    }

    @Test
    void precisionNeedNotGrowWithTheThresholdSoTheLowestCandidateThatReachesTheTargetWins() {
        // 0.58 reaches 0.85 (6 of 7) though 0.60 above it does not (5 of 6).
        Row row = rows(harassment("general"), 0.85).get(0);
        assertEquals(0.58, row.suggestion().flag(), 1e-12);
        assertEquals(7, row.suggestion().resolved());
        assertEquals(1, row.suggestion().approved());
    }

    @Test
    void aTargetMetExactlyCounts() {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            outcomes.add(new Outcome("hate", "general", 0.41 + i / 100.0, Verdict.REJECTED));
        }
        outcomes.add(new Outcome("hate", "general", 0.40, Verdict.APPROVED));
        Row row = rows(outcomes, 0.9).get(0);
        assertEquals(0.40, row.suggestion().flag(), 1e-12, "9 of 10 is 0.9");
    }

    @Test
    void equalScoresAreOneCandidate() {
        List<Outcome> outcomes = new ArrayList<>(List.of(
                new Outcome("hate", "general", 0.5, Verdict.APPROVED),
                new Outcome("hate", "general", 0.5, Verdict.REJECTED)));
        for (int i = 0; i < 5; i++) {
            outcomes.add(new Outcome("hate", "general", 0.6, Verdict.REJECTED));
        }
        // Not 0.5 with the approval left out: a threshold of 0.5 flags both items scoring 0.5.
        Row row = rows(outcomes, 0.9).get(0);
        assertEquals(0.6, row.suggestion().flag(), 1e-12);
        assertEquals(5, row.suggestion().resolved());
    }

    @Test
    void tooFewItemsAtTheCandidateMakeNoSuggestion() {
        // 0.75, 0.80, 0.85 would be 3 of 3, but fewer than five items say nothing.
        List<Outcome> outcomes = harassment("general").subList(0, 3);
        Row row = rows(new ArrayList<>(outcomes), 0.9).get(0);
        assertEquals(SuggestionStatus.TOO_FEW_ITEMS, row.status());
        assertNull(row.suggestion());
    }

    @Test
    void aTargetNoCandidateReachesIsSaidSo() {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            outcomes.add(new Outcome("sexual", "general", 0.5 + i / 100.0, i % 2 == 0 ? Verdict.APPROVED : Verdict.REJECTED));
        }
        Row row = rows(outcomes, 0.9).get(0);
        assertEquals(SuggestionStatus.TARGET_NOT_REACHED, row.status());
        assertNull(row.suggestion());
        assertEquals(0.5, row.precision(), 1e-12);
    }

    @Test
    void missedItemsAreCountedApartAndLeaveTheSuggestionAlone() {
        List<Outcome> outcomes = new ArrayList<>(harassment("general"));
        outcomes.add(new Outcome("harassment", "general", 0.3, Verdict.MISSED));
        Row row = rows(outcomes, 0.9).get(0);
        assertEquals(1, row.missed());
        assertEquals(9, row.resolved());
        assertEquals(0.65, row.suggestion().flag(), 1e-12);
    }

    @Test
    void aRowWithOnlyMissedItemsHasNoPrecision() {
        Row row = rows(List.of(new Outcome("violence", "games", 0.3, Verdict.MISSED)), 0.9).get(0);
        assertNull(row.precision());
        assertEquals(1, row.missed());
        assertEquals(SuggestionStatus.TOO_FEW_ITEMS, row.status());
    }

    @Test
    void rowsFollowTheHarmCategoriesThenTheForumCategories() {
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(new Outcome("violence", "art", 0.7, Verdict.APPROVED));
        outcomes.addAll(harassment("town-hall"));
        outcomes.addAll(harassment("cooking"));
        List<String> order = rows(outcomes, 0.9).stream().map(r -> r.harmCategory() + "/" + r.forumCategory()).toList();
        assertEquals(List.of("harassment/cooking", "harassment/town-hall", "violence/art"), order);
    }
}

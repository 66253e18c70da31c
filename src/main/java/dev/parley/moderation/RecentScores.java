package dev.parley.moderation;

import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The recorded scores of the most recently decided posts, for {@link PolicyPreview}. */
@Singleton
class RecentScores {

    /** A post's latest recorded scores. */
    record Scored(long postId, HarmScores scores) {
    }

    private final DecisionRepository decisions;

    RecentScores(DecisionRepository decisions) {
        this.decisions = decisions;
    }

    /**
     * The latest decision's scores of each of the last {@code limit} posts decided, newest first. A
     * post edited and decided again counts once, with the scores of its current text.
     */
    List<Scored> last(int limit) {
        return decisions.latestScores(limit).stream()
                .map(row -> new Scored(row.postId(), new HarmScores(withoutNulls(row.scores())))).toList();
    }

    /** A category the provider did not score is absent, not null, for the policy evaluator. */
    private static Map<String, Double> withoutNulls(Map<String, Double> scores) {
        Map<String, Double> present = new LinkedHashMap<>();
        scores.forEach((category, score) -> {
            if (score != null) {
                present.put(category, score);
            }
        });
        return present;
    }
}

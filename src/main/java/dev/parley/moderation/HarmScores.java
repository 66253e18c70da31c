package dev.parley.moderation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores in [0, 1] per harm category for one text. A category the provider did not score (a null
 * in OpenAI's answer) is absent, and absent never crosses a threshold.
 */
public record HarmScores(Map<String, Double> scores) {

    public HarmScores {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    public static HarmScores none() {
        return new HarmScores(Map.of());
    }

    /** Per category, the higher of the two scores (rules always run beside the provider). */
    public HarmScores max(HarmScores other) {
        Map<String, Double> merged = new LinkedHashMap<>(scores);
        other.scores.forEach((category, score) -> merged.merge(category, score, Math::max));
        return new HarmScores(merged);
    }
}

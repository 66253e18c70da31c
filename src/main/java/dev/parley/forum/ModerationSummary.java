package dev.parley.forum;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * The {@code moderation} field of a post: the decision and the harm categories that crossed a
 * threshold for its author; the scores and provenance in addition for moderators, and the
 * new-account rules of the policy that applied ({@code rules}, e.g. "new-account review: post 1 of
 * first 3 at level 0").
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModerationSummary(String decision, List<String> categories, String provider, String model,
                                Map<String, Double> scores, Long policyVersion, Boolean unmoderated,
                                List<String> rules) {

    /** What the author is told: the decision and the categories, without scores or provenance. */
    public ModerationSummary forAuthor() {
        return new ModerationSummary(decision, categories, null, null, null, null, null, null);
    }
}

package dev.parley.forum;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code moderation} field of a post: the automated decision and the harm categories that crossed
 * a threshold; the scores and provenance in addition for moderators. The statement of reasons
 * (issue 14) adds what the author is owed: each threshold crossed, the decision in force and whether
 * a moderator took it, their note, the policy version, and the appeal.
 *
 * @param decision          the automated decision of the post's latest decided version (as before)
 * @param effectiveDecision the decision in force: the latest of the automated decision, a moderator's
 *                          resolution and an appeal's outcome
 * @param automated         whether the decision in force was taken without a human
 * @param decidedBy         the moderator who took it (staff only)
 * @param note              the moderator's note, when a moderator took it
 * @param fired             the thresholds the automated decision's scores reached
 * @param appealable        whether the author may appeal the decision in force now
 * @param rules             the new-account rules of the policy that applied, e.g. "new-account review:
 *                          post 1 of first 3 at level 0"
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModerationSummary(String decision, List<String> categories, String provider, String model,
                                Map<String, Double> scores, Long policyVersion, Boolean unmoderated,
                                String effectiveDecision, Boolean automated, Instant decidedAt, String decidedBy,
                                String note, List<Crossing> fired, Appeal appeal, Boolean appealable,
                                List<String> rules) {

    /** A harm category whose score reached a threshold; {@code level} is "flag" or "reject". */
    @Serdeable
    public record Crossing(String category, Double score, Double threshold, String level) {
    }

    /**
     * The appeal of this post version, if any: {@code state} is open, upheld, overturned or superseded;
     * {@code decidedBy} only for staff.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Appeal(String state, String message, Instant at, Instant decidedAt, String note, String decidedBy) {

        Appeal forAuthor() {
            return new Appeal(state, message, at, decidedAt, note, null);
        }
    }

    /**
     * What the author is told: the statement of reasons, without the raw scores, the provider or the
     * names of the moderators.
     */
    public ModerationSummary forAuthor() {
        return new ModerationSummary(decision, categories, null, null, null, policyVersion, null,
                effectiveDecision, automated, decidedAt, null, note, fired,
                appeal == null ? null : appeal.forAuthor(), appealable, rules);
    }
}

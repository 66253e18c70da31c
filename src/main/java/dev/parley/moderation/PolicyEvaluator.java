package dev.parley.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a policy to scores (API.md): rejected if any score reaches its reject threshold, else
 * flagged if any reaches its flag threshold, else published. Pure, so every branch is unit-tested.
 */
final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    /**
     * @param sources per harm category, which provider's score is the one used ("openai" or "rules")
     */
    static Verdict decide(Policy policy, String forumCategory, HarmScores scores, Map<String, String> sources) {
        List<Verdict.Fired> fired = new ArrayList<>();
        boolean reject = false;
        boolean flag = false;
        for (String category : HarmCategories.ALL) {
            Double score = scores.scores().get(category);
            Thresholds thresholds = policy.effective(forumCategory, category);
            if (score == null || thresholds == null) {
                continue;
            }
            String source = sources.getOrDefault(category, "rules");
            if (thresholds.reject() != null && score >= thresholds.reject()) {
                reject = true;
                fired.add(new Verdict.Fired(category, score, thresholds.reject(), "reject", source));
            } else if (thresholds.flag() != null && score >= thresholds.flag()) {
                flag = true;
                fired.add(new Verdict.Fired(category, score, thresholds.flag(), "flag", source));
            }
        }
        Decision decision = reject ? Decision.REJECTED : flag ? Decision.FLAGGED : Decision.PUBLISHED;
        return new Verdict(decision, List.copyOf(fired));
    }
}

package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a policy to scores (API.md): rejected if any score reaches its reject threshold, else
 * flagged if any reaches its flag threshold, else published. For an author below the policy's
 * new-account level, stricter new-account thresholds count too, and a post among their first N
 * published is held for a moderator at least. Pure, so every branch is unit-tested.
 */
final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    /**
     * The author of the post being decided.
     *
     * @param level          their trust level now
     * @param publishedPosts how many of their other posts are published
     * @param staff          moderators and admins are never new
     */
    record Author(int level, long publishedPosts, boolean staff) {
    }

    /** Without an author: the thresholds alone (the policy preview, which has no authors' history). */
    static Verdict decide(Policy policy, String forumCategory, HarmScores scores, Map<String, String> sources) {
        return decide(policy, forumCategory, scores, sources, null);
    }

    /**
     * @param sources per harm category, which provider's score is the one used ("openai" or "rules")
     * @param author  null: no new-account rules apply
     */
    static Verdict decide(Policy policy, String forumCategory, HarmScores scores, Map<String, String> sources,
                          @Nullable Author author) {
        Policy.NewAccounts newAccounts = author == null || author.staff() ? null : policy.newAccountsIn(forumCategory);
        boolean isNew = newAccounts != null && newAccounts.belowLevel() != null
                && author.level() < newAccounts.belowLevel();
        Map<String, Thresholds> stricter = isNew && newAccounts.thresholds() != null ? newAccounts.thresholds() : Map.of();

        List<Verdict.Fired> fired = new ArrayList<>();
        boolean reject = false;
        boolean flag = false;
        for (String category : HarmCategories.ALL) {
            Double score = scores.scores().get(category);
            Thresholds thresholds = stricterOf(policy.effective(forumCategory, category), stricter.get(category));
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
        List<TrustRule> rules = new ArrayList<>();
        if (isNew && !stricter.isEmpty()) {
            rules.add(TrustRule.thresholds(author.level(), newAccounts.belowLevel()));
        }
        int reviewFirst = isNew && newAccounts.reviewFirstPosts() != null ? newAccounts.reviewFirstPosts() : 0;
        if (author != null && author.publishedPosts() < reviewFirst) {
            int post = Math.toIntExact(author.publishedPosts() + 1);
            rules.add(TrustRule.review(author.level(), newAccounts.belowLevel(), post, reviewFirst));
            flag = true;
        }
        Decision decision = reject ? Decision.REJECTED : flag ? Decision.FLAGGED : Decision.PUBLISHED;
        return new Verdict(decision, List.copyOf(fired), List.copyOf(rules));
    }

    /** Per threshold the lower (stricter) of the two; a null one never fires, so the other counts. */
    static Thresholds stricterOf(@Nullable Thresholds policy, @Nullable Thresholds newAccount) {
        if (newAccount == null) {
            return policy;
        }
        if (policy == null) {
            return newAccount;
        }
        return new Thresholds(lower(policy.flag(), newAccount.flag()), lower(policy.reject(), newAccount.reject()));
    }

    private static Double lower(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.min(a, b);
    }
}

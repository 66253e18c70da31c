package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a candidate policy would have done to the last N posts that were scored: each post's recorded
 * scores go through {@link PolicyEvaluator} under the candidate and under the policy in force, in
 * the post's forum category, so an admin sees the effect of a threshold before saving it. Nothing
 * is changed; the recorded decisions stay as they were taken.
 */
@Singleton
class PolicyPreview {

    static final int DEFAULT_LAST = 500;
    static final int MAX_LAST = 5000;

    // OpenAPI 3.0: a nullable reference needs a type beside its allOf; micronaut-openapi writes the one @Schema names.
    @Serdeable
    record Request(@Schema(type = "object", nullable = true) @Nullable Policy policy, @Nullable Integer last) {
    }

    @Serdeable
    record Outcomes(long published, long flagged, long rejected) {
    }

    /** Posts in which one harm category reached its flag (but not reject) threshold, and its reject threshold. */
    @Serdeable
    record Fired(long flagged, long rejected) {
    }

    @Serdeable
    record CategoryPreview(Fired current, Fired candidate) {
    }

    /**
     * @param considered     how many posts were evaluated (fewer than asked when fewer were ever scored)
     * @param currentVersion the version of the policy in force the candidate is compared with
     * @param changed        posts whose decision the candidate would change
     */
    @Serdeable
    record Preview(int considered, long currentVersion, Outcomes current, Outcomes candidate, long changed,
                   Map<String, CategoryPreview> categories) {
    }

    private final RecentScores recent;
    private final ForumPosts posts;
    private final PolicyService policies;

    PolicyPreview(RecentScores recent, ForumPosts posts, PolicyService policies) {
        this.recent = recent;
        this.posts = posts;
        this.policies = policies;
    }

    /** Admin only, like changing the policy; 422 for a policy that a PUT would refuse. */
    @Transactional(readOnly = true)
    Preview preview(Actor actor, Request request) {
        actor.require(Role.ADMIN);
        if (request.policy() == null) {
            throw DomainException.invalid("policy", "is required");
        }
        int last = request.last() == null ? DEFAULT_LAST : request.last();
        if (last < 1 || last > MAX_LAST) {
            throw DomainException.invalid("last", "must be between 1 and " + MAX_LAST);
        }
        Policy candidate = PolicyService.validated(request.policy());
        Policy current = policies.current();
        List<RecentScores.Scored> scored = recent.last(last);
        Map<Long, String> forumCategories = posts.find(scored.stream().map(RecentScores.Scored::postId).toList())
                .stream().collect(Collectors.toMap(PostSnapshot::id, PostSnapshot::categorySlug));

        Tally now = new Tally();
        Tally then = new Tally();
        long changed = 0;
        for (RecentScores.Scored post : scored) {
            // A post that no longer exists is judged by the global thresholds alone.
            String forumCategory = forumCategories.getOrDefault(post.postId(), "");
            Verdict before = PolicyEvaluator.decide(current, forumCategory, post.scores(), Map.of());
            Verdict after = PolicyEvaluator.decide(candidate, forumCategory, post.scores(), Map.of());
            now.add(before);
            then.add(after);
            if (before.decision() != after.decision()) {
                changed++;
            }
        }
        Map<String, CategoryPreview> categories = new LinkedHashMap<>();
        for (String category : HarmCategories.ALL) {
            categories.put(category, new CategoryPreview(now.fired(category), then.fired(category)));
        }
        return new Preview(scored.size(), current.version() == null ? 0 : current.version(), now.outcomes(),
                then.outcomes(), changed, categories);
    }

    /** Counts of one policy's verdicts. */
    private static final class Tally {
        private final Map<Decision, Long> decisions = new EnumMap<>(Decision.class);
        private final Map<String, long[]> fired = new LinkedHashMap<>();

        void add(Verdict verdict) {
            decisions.merge(verdict.decision(), 1L, Long::sum);
            for (Verdict.Fired f : verdict.fired()) {
                fired.computeIfAbsent(f.category(), c -> new long[2])[f.level().equals("reject") ? 1 : 0]++;
            }
        }

        Outcomes outcomes() {
            return new Outcomes(decisions.getOrDefault(Decision.PUBLISHED, 0L),
                    decisions.getOrDefault(Decision.FLAGGED, 0L), decisions.getOrDefault(Decision.REJECTED, 0L));
        }

        Fired fired(String category) {
            long[] counts = fired.getOrDefault(category, new long[2]);
            return new Fired(counts[0], counts[1]);
        }
    }
}

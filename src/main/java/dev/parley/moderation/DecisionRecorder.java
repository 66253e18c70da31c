package dev.parley.moderation;

import dev.parley.forum.PostStatus;
import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a post's scores into its decision and applies it, in one transaction: the decision record,
 * the post's new status, the review item and the audit entry commit together. Running twice for
 * the same post version changes nothing the second time.
 */
@Singleton
class DecisionRecorder {

    private final ForumPosts posts;
    private final DecisionRepository decisions;
    private final ReviewRepository reviews;
    private final AuditLog audit;
    private final Clock clock;
    private final TrustAdvancement trust;
    private final AppealItemRepository humanVerdicts;

    DecisionRecorder(ForumPosts posts, DecisionRepository decisions, ReviewRepository reviews,
                     AuditLog audit, Clock clock, TrustAdvancement trust, AppealItemRepository humanVerdicts) {
        this.trust = trust;
        this.posts = posts;
        this.decisions = decisions;
        this.reviews = reviews;
        this.audit = audit;
        this.clock = clock;
        this.humanVerdicts = humanVerdicts;
    }

    /**
     * @param task            the post version the job was about
     * @param providerFailed  the provider could not answer: the scores are the rules' alone
     * @return the decision taken, or empty when there was nothing to decide (edited, deleted, decided)
     */
    @Transactional
    Optional<Decision> record(ModerationTask task, ModerationScorer.Scored scored, ModerationScorer.Result result,
                            Policy policy, boolean providerFailed) {
        Optional<PostSnapshot> locked = posts.lock(task.postId());
        if (locked.isEmpty() || !task.appliesTo(locked.get())) {
            return Optional.empty();
        }
        PostSnapshot post = locked.get();
        // Human decisions stand: a version a moderator decided is not re-decided by a rescan.
        if (humanVerdicts.humanDecided(post.id(), post.version())) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        // The author's level is brought up to date first, so a rise their record earned counts for this post.
        Verdict verdict = PolicyEvaluator.decide(policy, post.categorySlug(), result.scores(), result.sources(),
                trust.authorOf(post, now));
        List<Reason> reasons = new ArrayList<>(verdict.fired().stream().map(Reason::of).toList());
        verdict.rules().forEach(rule -> reasons.add(Reason.of(rule)));
        Decision decision = verdict.decision();
        boolean unmoderated = false;
        if (providerFailed && decision == Decision.PUBLISHED) {
            if (Policy.PUBLISH.equals(policy.onProviderFailure())) {
                unmoderated = true;
            } else {
                decision = Decision.FLAGGED;
                reasons.add(new Reason(task.provider(), Reason.PROVIDER_UNAVAILABLE, null, null, null));
            }
        }
        int stored = decisions.upsert(new DecisionRow(null, post.id(), post.version(), scored.provider(), scored.model(),
                result.scores().scores(), policy.version(), verdict.fired(), decision, unmoderated, now, verdict.rules()));
        if (stored == 0) {
            return Optional.empty();
        }
        posts.setStatus(post.id(), post.version(), statusOf(decision));
        if (decision == Decision.FLAGGED) {
            // An appeal of the previous version is moot; the new flag gets an item of its own.
            humanVerdicts.supersedeStaleAppeal(post.id(), post.version(), now);
            reviews.openOrAdd(post.id(), post.version(), post.categorySlug(), reasons, now);
        } else {
            reviews.supersede(post.id(), now);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("version", post.version());
        detail.put("decision", decision.wire());
        detail.put("provider", scored.provider());
        detail.put("categories", verdict.categories());
        detail.put("policyVersion", policy.version());
        if (!verdict.rules().isEmpty()) {
            detail.put("rules", verdict.rules().stream().map(TrustRule::summary).toList());
        }
        if (providerFailed) {
            detail.put("providerFailed", true);
        }
        if (unmoderated) {
            detail.put("unmoderated", true);
        }
        audit.record(null, task.rescan() ? "decision.rescan" : "decision", post.id(), detail);
        return Optional.of(decision);
    }

    static PostStatus statusOf(Decision decision) {
        return switch (decision) {
            case PUBLISHED -> PostStatus.PUBLISHED;
            case FLAGGED -> PostStatus.FLAGGED;
            case REJECTED -> PostStatus.REJECTED;
        };
    }
}

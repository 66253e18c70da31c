package dev.parley.moderation;

import dev.parley.events.Audience;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a post's (or a title edit's) scores into its decision and applies it, in one transaction: the decision record,
 * the post's new status, the review item and the audit entry commit together; a claimed batch's texts share
 * one transaction ({@link #recordAll}). Running twice for
 * the same post version changes nothing the second time.
 */
@Singleton
class DecisionRecorder {

    private final ModeratedTexts texts;
    private final DecisionRepository decisions;
    private final ReviewRepository reviews;
    private final AuditLog audit;
    private final Clock clock;
    private final TrustAdvancement trust;
    private final AppealItemRepository humanVerdicts;
    private final Outbox outbox;

    DecisionRecorder(ModeratedTexts texts, DecisionRepository decisions, ReviewRepository reviews,
                     AuditLog audit, Clock clock, TrustAdvancement trust, AppealItemRepository humanVerdicts,
                     Outbox outbox) {
        this.outbox = outbox;
        this.texts = texts;
        this.trust = trust;
        this.decisions = decisions;
        this.reviews = reviews;
        this.audit = audit;
        this.clock = clock;
        this.humanVerdicts = humanVerdicts;
    }

    /** A decision applied, and its audit entry for the caller to write. */
    private record Applied(Decision decision, AuditLog.Automated audit) {
    }

    /** A text of a claimed batch with its scores. */
    record Scoring(ModerationTask task, ModerationScorer.Result result) {
    }

    /**
     * {@link #record} for a claimed batch in one transaction: the texts locked with one statement, the
     * human verdicts looked up with one, the audit rows written in one batch. A failure rolls the whole
     * batch back; the caller then records the texts one by one, so one bad text does not hold back the
     * others. Texts already decided (a retried batch) are skipped, as by {@link #record}.
     *
     * @param providerFailed the provider could not answer: the scores are the rules' alone
     */
    @Transactional
    void recordAll(List<Scoring> batch, ModerationScorer.Scored scored, Policy policy, boolean providerFailed) {
        Map<ModerationTask, ModeratedText> locked = texts.lockAll(batch.stream().map(Scoring::task).toList());
        Set<TextVersion> human = humanDecided(locked.values());
        List<ModeratedText> undecided = locked.values().stream()
                .filter(post -> !human.contains(new TextVersion(post.id(), post.subject().wire(), post.version())))
                .toList();
        if (undecided.isEmpty()) {
            return;
        }
        TrustAdvancement.Authors authors = trust.authorsOf(undecided);
        List<AuditLog.Automated> audits = new ArrayList<>();
        for (Scoring item : batch) {
            ModeratedText post = locked.get(item.task());
            // Human decisions stand: a version a moderator decided is not re-decided by a rescan.
            if (post != null && !human.contains(new TextVersion(post.id(), post.subject().wire(), post.version()))) {
                apply(item.task(), post, scored, item.result(), policy, providerFailed, authors)
                        .ifPresent(applied -> audits.add(applied.audit()));
            }
        }
        audit.recordAll(audits);
    }

    /**
     * @param task            the post version or title edit the job was about
     * @param providerFailed  the provider could not answer: the scores are the rules' alone
     * @return the decision taken, or empty when there was nothing to decide (edited, deleted, decided)
     */
    @Transactional
    Optional<Decision> record(ModerationTask task, ModerationScorer.Scored scored, ModerationScorer.Result result,
                            Policy policy, boolean providerFailed) {
        Optional<ModeratedText> locked = texts.lock(task);
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        ModeratedText post = locked.get();
        // Human decisions stand: a version a moderator decided is not re-decided by a rescan.
        if (humanVerdicts.humanDecided(post.id(), post.subject(), post.version())) {
            return Optional.empty();
        }
        Optional<Applied> applied = apply(task, post, scored, result, policy, providerFailed,
                trust.authorsOf(List.of(post)));
        applied.ifPresent(a -> audit.record(null, a.audit().action(), a.audit().postId(), a.audit().detail()));
        return applied.map(Applied::decision);
    }

    private Set<TextVersion> humanDecided(Collection<ModeratedText> posts) {
        if (posts.isEmpty()) {
            return Set.of();
        }
        List<ModeratedText> list = List.copyOf(posts);
        Set<TextVersion> decided = new HashSet<>();
        humanVerdicts.humanDecidedAmong(list.stream().map(ModeratedText::id).toArray(Long[]::new),
                        list.stream().map(p -> p.subject().wire()).toArray(String[]::new),
                        list.stream().map(ModeratedText::version).toArray(Integer[]::new))
                .forEach(j -> decided.add(new TextVersion(j.postId(), j.subject(), j.postVersion())));
        return decided;
    }

    /** One version of a post's body or title, as the human verdicts name it. */
    private record TextVersion(long postId, String subject, int version) {
    }

    /**
     * Decides a locked text that no moderator decided and applies the decision; returns its audit
     * entry, for the caller to write, or empty when an earlier decision stands.
     */
    private Optional<Applied> apply(ModerationTask task, ModeratedText post, ModerationScorer.Scored scored,
                                    ModerationScorer.Result result, Policy policy, boolean providerFailed,
                                    TrustAdvancement.Authors authors) {
        // A rescan's retry finds the provider's decision its first run stored: that one stands.
        if (task.rescan() && decisions.moderated(post.id(), post.subject(), post.version())) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        // The author's level is brought up to date first, so a rise their record earned counts for this text.
        Verdict verdict = PolicyEvaluator.decide(policy, post.categorySlug(), result.scores(), result.sources(),
                authors.authorOf(post, now));
        List<Reason> reasons = new ArrayList<>(verdict.fired().stream().map(Reason::of).toList());
        verdict.rules().forEach(rule -> reasons.add(Reason.of(rule)));
        Decision decision = verdict.decision();
        boolean unmoderated = false;
        if (providerFailed && decision == Decision.PUBLISHED) {
            // A title edit is never published unmoderated: the thread keeps its title while the edit waits.
            if (Policy.PUBLISH.equals(policy.onProviderFailure()) && post.subject() == Subject.POST) {
                unmoderated = true;
            } else {
                decision = Decision.FLAGGED;
                reasons.add(new Reason(task.provider(), Reason.PROVIDER_UNAVAILABLE, null, null, null));
            }
        }
        int stored = decisions.upsert(new DecisionRow(null, post.id(), post.subject(), post.version(),
                scored.provider(), scored.model(), result.scores().scores(), policy.version(), verdict.fired(),
                decision, unmoderated, now, verdict.rules()));
        if (stored == 0) {
            return Optional.empty();
        }
        // The decision's event first: the post's publication (recorded by setStatus) follows from it.
        outbox.record(new DomainEvent(EventType.DECISION_MADE, Audience.STAFF, null, post.id(), null,
                decision.wire()));
        boolean moved = texts.setStatus(post.subject(), post.id(), post.version(), statusOf(decision))
                == ForumPosts.Outcome.APPLIED;
        authors.decided(post, decision, moved, now);
        if (decision == Decision.FLAGGED) {
            if (post.subject() == Subject.POST) {
                // An appeal of the previous version is moot; the new flag gets an item of its own.
                superseded(post.id(), humanVerdicts.supersedeStaleAppeal(post.id(), post.version(), now));
            }
            long itemId = reviews.openOrAdd(post.id(), post.subject(), post.version(), post.categorySlug(), reasons, now);
            outbox.record(DomainEvent.ofItem(EventType.QUEUE_OPENED, post.id(), itemId, null));
        } else {
            superseded(post.id(), reviews.supersede(post.id(), post.subject(), now));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        if (post.subject() != Subject.POST) {
            detail.put("subject", post.subject().wire());
        }
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
        return Optional.of(new Applied(decision,
                new AuditLog.Automated(task.rescan() ? "decision.rescan" : "decision", post.id(), detail)));
    }

    /** Tells the moderators' live queue that items a newer verdict made moot are closed. */
    private void superseded(long postId, List<Long> itemIds) {
        for (long itemId : itemIds) {
            outbox.record(DomainEvent.ofItem(EventType.QUEUE_RESOLVED, postId, itemId, ReviewResolution.SUPERSEDED.wire()));
        }
    }

    static PostStatus statusOf(Decision decision) {
        return switch (decision) {
            case PUBLISHED -> PostStatus.PUBLISHED;
            case FLAGGED -> PostStatus.FLAGGED;
            case REJECTED -> PostStatus.REJECTED;
        };
    }
}

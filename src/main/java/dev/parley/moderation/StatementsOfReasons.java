package dev.parley.moderation;

import dev.parley.forum.ModerationSummary;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Builds the statement of reasons of posts (the {@code moderation} field): the automated decision of
 * each post's latest decided version, the moderator's resolution and the appeal of that version,
 * and from them the decision in force. Human decisions on a version come after the automated one,
 * so "the latest" is the decision in force.
 */
@Singleton
class StatementsOfReasons {

    /** One decision taken on a post version: by the automation, a moderator's review, or an appeal. */
    private record Taken(Instant at, Decision decision, boolean automated, String by, String note, boolean appealOutcome) {
    }

    private final DecisionRepository decisions;
    private final AppealItemRepository items;
    private final AppealRepository appeals;

    StatementsOfReasons(DecisionRepository decisions, AppealItemRepository items, AppealRepository appeals) {
        this.decisions = decisions;
        this.items = items;
        this.appeals = appeals;
    }

    /** The statement of each post that has a decision, as its author sees it or, for staff, in full. */
    @Transactional(readOnly = true)
    Map<Long, ModerationSummary> summaries(Collection<Long> postIds, boolean staff) {
        Map<Long, ModerationSummary> result = new HashMap<>();
        if (postIds.isEmpty()) {
            return result;
        }
        Long[] ids = postIds.toArray(Long[]::new);
        List<DecisionRow> latest = decisions.latest(ids);
        if (latest.isEmpty()) {
            return result;
        }
        Map<Long, AppealItemRepository.HumanReview> reviews = new HashMap<>();
        Map<Long, AppealRepository.Appeal> appealed = new HashMap<>();
        Map<Long, Integer> versions = new HashMap<>();
        latest.forEach(d -> versions.put(d.postId(), d.postVersion()));
        // Newest first per post: the first of the decided version is the one in force.
        items.humanReviews(ids).stream().filter(r -> Objects.equals(versions.get(r.postId()), r.postVersion()))
                .forEach(r -> reviews.putIfAbsent(r.postId(), r));
        appeals.forPosts(ids).stream().filter(a -> Objects.equals(versions.get(a.postId()), a.postVersion()))
                .forEach(a -> appealed.putIfAbsent(a.postId(), a));
        for (DecisionRow d : latest) {
            ModerationSummary full = summary(d, reviews.get(d.postId()), appealed.get(d.postId()));
            result.put(d.postId(), staff ? full : full.forAuthor());
        }
        return result;
    }

    private static ModerationSummary summary(DecisionRow d, AppealItemRepository.HumanReview review,
                                             AppealRepository.Appeal appeal) {
        Taken automated = new Taken(d.createdAt(), d.decision(), true, null, null, false);
        Taken reviewed = review == null ? null : new Taken(review.resolvedAt(),
                review.rejected() ? Decision.REJECTED : Decision.PUBLISHED, false, review.resolvedByName(), review.note(),
                false);
        Taken appealDecided = appeal == null ? null : switch (appeal.outcome()) {
            case OVERTURNED -> new Taken(appeal.resolvedAt(), Decision.PUBLISHED, false, appeal.resolvedByName(),
                    appeal.resolutionNote(), true);
            case UPHELD -> new Taken(appeal.resolvedAt(), Decision.valueOf(appeal.originalDecision().toUpperCase(Locale.ROOT)),
                    false, appeal.resolvedByName(), appeal.resolutionNote(), true);
            case OPEN, SUPERSEDED -> null;
        };
        // Later wins; on equal times the human decision, and the appeal over the review it judged.
        Taken inForce = Stream.of(automated, reviewed, appealDecided).filter(Objects::nonNull)
                .reduce((a, b) -> b.at().isBefore(a.at()) ? a : b).orElseThrow();
        boolean held = inForce.decision() != Decision.PUBLISHED;
        Long decisionUnderAppeal = inForce == reviewed ? review.itemId() : null;
        boolean appealedAlready = appeal != null && Objects.equals(appeal.originalItemId(), decisionUnderAppeal);
        boolean appealable = held && !inForce.appealOutcome() && !appealedAlready;

        List<ModerationSummary.Crossing> fired = d.fired().stream()
                .map(StatementsOfReasons::crossing).toList();
        ModerationSummary.Appeal appealView = appeal == null ? null : new ModerationSummary.Appeal(
                appeal.outcome().wire(), appeal.message(), appeal.createdAt(),
                appeal.outcome() == AppealOutcome.OPEN ? null : appeal.resolvedAt(), appeal.resolutionNote(),
                appeal.resolvedByName());
        return new ModerationSummary(d.decision().wire(),
                d.fired().stream().map(Verdict.Fired::category).distinct().toList(), d.provider(), d.model(),
                d.scores(), d.policyVersion(), d.unmoderated(),
                inForce.decision().wire(), inForce.automated(), inForce.at(), inForce.by(), inForce.note(), fired,
                appealView, appealable, d.rules().stream().map(TrustRule::summary).toList());
    }

    /** A threshold the scores reached, as the author is shown it: without the provider. */
    static ModerationSummary.Crossing crossing(Verdict.Fired fired) {
        return new ModerationSummary.Crossing(fired.category(), fired.score(), fired.threshold(), fired.level());
    }
}

package dev.parley.moderation;

import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.auth.Actor;
import dev.parley.common.DomainException;
import dev.parley.common.StorableText;
import dev.parley.common.UniqueViolations;
import dev.parley.forum.ForumPosts;
import dev.parley.forum.ModerationSummary;
import dev.parley.forum.PostSnapshot;
import dev.parley.forum.PostStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A post's statement of reasons for its author, and the author's appeal of a flag or rejection. An
 * appeal enters the review queue as an item of kind appeal; appealing a flag whose review item is
 * still unresolved turns that item into the appeal, so one moderator decides both at once.
 */
@Singleton
class AppealService {

    /** The answer of {@code GET /api/posts/{id}/moderation}: the post version and its statement of reasons. */
    // OpenAPI 3.0: a nullable reference needs a type beside its allOf; micronaut-openapi writes the one @Schema names.
    @Serdeable
    record Statement(long postId, int version, String status, @Schema(type = "object", nullable = true) @Nullable ModerationSummary moderation) {
    }

    private final ForumPosts posts;
    private final StatementsOfReasons statements;
    private final DecisionLookupRepository decisions;
    private final AppealItemRepository items;
    private final AppealRepository appeals;
    private final AuditLog audit;
    private final Clock clock;
    private final Outbox outbox;

    AppealService(ForumPosts posts, StatementsOfReasons statements, DecisionLookupRepository decisions,
                  AppealItemRepository items, AppealRepository appeals, AuditLog audit, Clock clock, Outbox outbox) {
        this.outbox = outbox;
        this.posts = posts;
        this.statements = statements;
        this.decisions = decisions;
        this.items = items;
        this.appeals = appeals;
        this.audit = audit;
        this.clock = clock;
    }

    /** The statement of reasons of a post, for its author or staff; anyone else gets 404. */
    @Transactional(readOnly = true)
    Statement statement(Actor actor, long postId) {
        PostSnapshot post = posts.find(postId).filter(p -> p.authorId() == actor.id() || actor.isModerator())
                .orElseThrow(AppealService::noSuchPost);
        return new Statement(post.id(), post.version(), post.status().wire(),
                statements.summaries(List.of(postId), actor.isModerator()).get(postId));
    }

    /**
     * Appeals the decision in force on the caller's own flagged or rejected post: the moderator's
     * rejection if one stands, else the automated decision. Once per decision (409 again); 409 for
     * a post that is not flagged or rejected; 403 for someone else's post that the caller can see.
     */
    @Transactional
    Statement appeal(Actor actor, long postId, String message) {
        actor.requireActive();
        StorableText.require("message", message);
        // The post's row lock orders appeals of one post, and an appeal after a concurrent edit.
        PostSnapshot post = posts.lock(postId).orElseThrow(AppealService::noSuchPost);
        if (post.authorId() != actor.id()) {
            if (post.status() == PostStatus.PUBLISHED || actor.isModerator()) {
                throw DomainException.forbidden("Only the author of a post can appeal its moderation.");
            }
            throw noSuchPost();
        }
        if (post.status() != PostStatus.FLAGGED && post.status() != PostStatus.REJECTED) {
            throw DomainException.conflict(post.status() == PostStatus.PENDING
                    ? "The post is waiting for moderation; there is no decision to appeal yet."
                    : "Only a flagged or rejected post can be appealed; this one is " + post.status().wire() + ".");
        }
        DecisionRow automated = decisions.decisionOf(post.id(), post.version()).orElse(null);
        AppealItemRepository.HumanReview review = items.humanReviews(new Long[] {post.id()}).stream()
                .filter(r -> r.postVersion() == post.version()).findFirst().orElse(null);
        // A moderator's rejection taken after the automated decision is the decision in force.
        boolean byModerator = review != null && review.rejected()
                && (automated == null || !review.resolvedAt().isBefore(automated.createdAt()));
        Long originalItem = byModerator ? review.itemId() : null;
        boolean appealedAlready = appeals.forPosts(new Long[] {post.id()}).stream()
                .anyMatch(a -> a.postVersion() == post.version() && Objects.equals(a.originalItemId(), originalItem));
        if (appealedAlready || ReviewKind.APPEAL.wire().equals(items.unresolvedKind(post.id()).orElse(null))) {
            throw alreadyAppealed();
        }
        Decision original = byModerator ? Decision.REJECTED
                : automated != null ? automated.decision()
                : post.status() == PostStatus.FLAGGED ? Decision.FLAGGED : Decision.REJECTED;
        List<Reason> reasons = byModerator ? review.reasons()
                : automated == null ? List.of() : automated.fired().stream().map(Reason::of).toList();

        Instant now = clock.instant();
        long itemId = items.openAppeal(post.id(), post.version(), post.categorySlug(), reasons, now);
        AppealRow row = UniqueViolations.translate(() -> appeals.save(new AppealRow(null, itemId, post.id(),
                post.version(), actor.id(), message, now, original, automated == null ? null : automated.id(),
                originalItem, byModerator ? review.resolvedBy() : null)), AppealService::alreadyAppealed);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("item", itemId);
        detail.put("appeal", row.id());
        detail.put("version", post.version());
        detail.put("original", original.wire());
        detail.put("automated", !byModerator);
        detail.put("message", message);
        audit.record(actor, "appeal", post.id(), detail);
        outbox.record(DomainEvent.ofItem(EventType.APPEAL_FILED, post.id(), itemId, null));
        return new Statement(post.id(), post.version(), post.status().wire(),
                statements.summaries(List.of(postId), actor.isModerator()).get(postId));
    }

    private static DomainException alreadyAppealed() {
        return DomainException.conflict("This decision was already appealed; a decision can be appealed once.");
    }

    private static DomainException noSuchPost() {
        return DomainException.notFound("No such post.");
    }
}

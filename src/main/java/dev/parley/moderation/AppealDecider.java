package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.common.DomainException;
import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import dev.parley.forum.PostStatus;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides an appeal item, inside the review queue's resolve transaction: overturning publishes the
 * post (which indexes it for search), upholding leaves it as it is (a flag appealed while it waited
 * is rejected). The moderator who took the
 * decision under appeal may not decide the appeal while another active moderator or admin exists.
 */
@Singleton
class AppealDecider {

    private final AppealRepository appeals;
    private final ReviewRepository reviews;
    private final ForumPosts posts;
    private final AuditLog audit;
    private final Clock clock;

    AppealDecider(AppealRepository appeals, ReviewRepository reviews, ForumPosts posts, AuditLog audit, Clock clock) {
        this.appeals = appeals;
        this.reviews = reviews;
        this.posts = posts;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Resolves {@code item}, an unresolved appeal item the caller may act on (the caller holds its
     * row lock), with {@code action}: uphold or overturn (422 otherwise).
     */
    void decide(Actor actor, ReviewRepository.Item item, ReviewResolution action, String note) {
        if (!action.decidesAppeal()) {
            throw DomainException.invalid("action", "an appeal is decided with uphold or overturn");
        }
        AppealRepository.Appeal appeal = appeals.forItems(new Long[] {item.id()}).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("appeal item " + item.id() + " has no appeal"));
        boolean ownDecision = appeal.originalBy() != null && appeal.originalBy() == actor.id();
        if (ownDecision && appeals.anotherActiveModerator(actor.id())) {
            throw DomainException.conflict("You took the decision under appeal; another moderator must decide the appeal.");
        }
        if (action == ReviewResolution.OVERTURN) {
            switch (posts.setStatus(item.postId(), item.postVersion(), PostStatus.PUBLISHED)) {
                case STALE -> throw edited();
                case GONE -> throw deleted();
                case APPLIED -> { }
            }
        } else {
            PostSnapshot post = posts.lock(item.postId()).orElseThrow(AppealDecider::deleted);
            if (post.status() == PostStatus.DELETED) {
                throw deleted();
            }
            if (post.version() != item.postVersion()) {
                throw edited();
            }
            // Still flagged: the flag was appealed while it waited, so upholding it is the moderator's
            // rejection; left flagged, the post would wait for a review that no longer comes.
            if (post.status() == PostStatus.FLAGGED) {
                posts.setStatus(item.postId(), item.postVersion(), PostStatus.REJECTED);
            }
        }
        reviews.resolve(item.id(), actor.id(), action, note, clock.instant());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("item", item.id());
        detail.put("appeal", appeal.id());
        detail.put("original", appeal.originalDecision());
        detail.put("automated", appeal.automated());
        if (note != null) {
            detail.put("note", note);
        }
        if (ownDecision) {
            // Allowed only because no other moderator could decide it; recorded so that it shows.
            detail.put("sameModerator", true);
        }
        audit.record(actor, "appeal." + action.wire(), item.postId(), detail);
    }

    private static DomainException edited() {
        return DomainException.conflict("The post was edited since; the appeal is moot and it is being moderated again.");
    }

    private static DomainException deleted() {
        return DomainException.conflict("The post was deleted.");
    }
}

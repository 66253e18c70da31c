package dev.parley.moderation;

import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.abuse.ReportLimits;
import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.auth.TrustLevels;
import dev.parley.common.Cursor;
import dev.parley.common.DomainException;
import dev.parley.common.StorableText;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.forum.ForumViews.PostView;
import dev.parley.forum.ModerationSummary;
import dev.parley.forum.PostStatus;
import dev.parley.forum.ForumPosts;
import dev.parley.forum.PostSnapshot;
import dev.parley.forum.ThreadTitles;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The human review queue: listing, claiming, resolving, and the reports that feed it. */
@Singleton
class ReviewQueueService {

    @Serdeable
    record ThreadRef(long id, String title, String category) {
    }

    @Serdeable
    record Resolution(ReviewResolution action, String note, String by, Instant at) {
    }

    /**
     * The title edit a {@code subject: "title"} item is about: {@code proposed} is what would become the
     * thread's title; the thread's current title is in {@link ThreadRef#title()}.
     */
    @Serdeable
    record TitleEdit(int version, String proposed, String status) {
    }

    /**
     * The ReviewItem of API.md; {@code moderation} adds the decision's scores for the console,
     * {@code author} the author's trust level, {@code kind} whether it is a review or an appeal, and an
     * appeal item carries its {@code appeal}. For a title edit ({@code subject} title), {@code post} is
     * the thread's first post showing the proposed title as its body and the edit's status, and
     * {@code titleEdit} says so explicitly.
     */
    @Serdeable
    record ReviewItem(long id, ReviewState state, Subject subject, PostView post, ThreadRef thread,
                      List<Reason> reasons, String claimedBy, Instant createdAt,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Resolution resolution,
                      @JsonInclude(JsonInclude.Include.NON_NULL) ModerationSummary moderation,
                      @JsonInclude(JsonInclude.Include.NON_NULL) TrustLevels.AuthorTrust author, ReviewKind kind,
                      @JsonInclude(JsonInclude.Include.NON_NULL) AppealViews.AppealView appeal,
                      @JsonInclude(JsonInclude.Include.NON_NULL) TitleEdit titleEdit) {
    }

    private final ReviewRepository reviews;
    private final PostReportRepository reports;
    private final ForumPosts posts;
    private final ThreadTitles titles;
    private final ModeratedTexts texts;
    private final ModerationService moderation;
    private final AuditLog audit;
    private final Clock clock;
    private final ReportLimits reportLimits;
    private final TrustLevels trust;
    private final AppealDecider appeals;
    private final AppealViews appealViews;
    private final Outbox outbox;

    ReviewQueueService(ReviewRepository reviews, PostReportRepository reports, ForumPosts posts, ThreadTitles titles,
                       ModeratedTexts texts, ModerationService moderation, AuditLog audit, Clock clock,
                       ReportLimits reportLimits, TrustLevels trust, AppealDecider appeals, AppealViews appealViews,
                       Outbox outbox) {
        this.outbox = outbox;
        this.titles = titles;
        this.texts = texts;
        this.trust = trust;
        this.reviews = reviews;
        this.reports = reports;
        this.posts = posts;
        this.moderation = moderation;
        this.audit = audit;
        this.clock = clock;
        this.reportLimits = reportLimits;
        this.appeals = appeals;
        this.appealViews = appealViews;
    }

    /** Items in a state (default open), oldest first, filtered by forum category, reason and kind. */
    @Transactional(readOnly = true)
    Page<ReviewItem> list(Actor actor, String state, String category, String reason, String kind, PageRequest page) {
        actor.require(Role.MODERATOR);
        ReviewState wanted = state == null || state.isEmpty() ? ReviewState.OPEN : ReviewState.fromWire(state)
                .orElseThrow(() -> DomainException.invalid("state", "must be open, claimed or resolved"));
        ReviewKind ofKind = kind == null || kind.isEmpty() ? null : ReviewKind.fromWire(kind)
                .orElseThrow(() -> DomainException.invalid("kind", "must be review or appeal"));
        long afterId = page.cursor() == null ? 0 : Cursor.decode(page.cursor(), 1).longAt(0);
        Page<ReviewRepository.Item> items = Page.of(reviews.list(wanted, blankToNull(category), blankToNull(reason),
                ofKind == null ? null : ofKind.wire(), afterId, page.fetchSize()), page.limit(), item -> Cursor.of(item.id()));
        return new Page<>(render(items.items()), items.nextCursor());
    }

    @Transactional(readOnly = true)
    ReviewItem get(Actor actor, long id) {
        actor.require(Role.MODERATOR);
        return render(List.of(reviews.find(id).orElseThrow(ReviewQueueService::notFound))).get(0);
    }

    /** Claims an item for the caller; claiming one's own claim again is fine, anyone else's is 409. */
    @Transactional
    ReviewItem claim(Actor actor, long id) {
        actor.require(Role.MODERATOR).requireActive();
        ReviewRepository.Item item = reviews.findForUpdate(id).orElseThrow(ReviewQueueService::notFound);
        if (item.reviewState() == ReviewState.RESOLVED) {
            throw DomainException.conflict("The item is already resolved.");
        }
        if (item.reviewState() == ReviewState.CLAIMED && !Long.valueOf(actor.id()).equals(item.claimedBy())) {
            throw DomainException.conflict("The item is claimed by " + item.claimedByName() + ".");
        }
        if (item.reviewState() == ReviewState.OPEN) {
            reviews.claim(id, actor.id(), clock.instant());
            audit.record(actor, "review.claim", item.postId(), Map.of("item", id));
            outbox.record(DomainEvent.ofItem(EventType.QUEUE_CLAIMED, item.postId(), id, null));
        }
        return get(actor, id);
    }

    /** Releases the caller's claim (an admin may release anyone's). */
    @Transactional
    ReviewItem release(Actor actor, long id) {
        actor.require(Role.MODERATOR).requireActive();
        ReviewRepository.Item item = reviews.findForUpdate(id).orElseThrow(ReviewQueueService::notFound);
        if (item.reviewState() != ReviewState.CLAIMED) {
            throw DomainException.conflict("The item is not claimed.");
        }
        if (!Long.valueOf(actor.id()).equals(item.claimedBy()) && !actor.atLeast(Role.ADMIN)) {
            throw DomainException.conflict("The item is claimed by " + item.claimedByName() + ".");
        }
        reviews.release(id);
        audit.record(actor, "review.release", item.postId(), Map.of("item", id));
        outbox.record(DomainEvent.ofItem(EventType.QUEUE_RELEASED, item.postId(), id, null));
        return get(actor, id);
    }

    /**
     * Approves (publishes) or rejects the post or title edit of an item and resolves it; an appeal item
     * is upheld or overturned instead ({@link AppealDecider}). 409 when the item is resolved, claimed by
     * someone else, or its post (title) was edited since it was queued: a verdict covers only the text
     * that was reviewed.
     */
    @Transactional
    ReviewItem resolve(Actor actor, long id, String action, String note) {
        actor.require(Role.MODERATOR).requireActive();
        ReviewResolution resolution = ReviewResolution.anyAction(action).orElseThrow(() -> DomainException.invalid(
                "action", "must be approve or reject, or uphold or overturn for an appeal"));
        PostStatus target = resolution == ReviewResolution.APPROVE ? PostStatus.PUBLISHED : PostStatus.REJECTED;
        StorableText.require("note", note);
        // The post (or thread) first, then the item: the decision recorder's order, so a decision
        // arriving meanwhile waits instead of deadlocking.
        ReviewRepository.Item seen = reviews.find(id).orElseThrow(ReviewQueueService::notFound);
        texts.lockSubject(seen.judged(), seen.postId());
        ReviewRepository.Item item = reviews.findForUpdate(id).orElseThrow(ReviewQueueService::notFound);
        if (item.reviewState() == ReviewState.RESOLVED) {
            throw DomainException.conflict("The item is already resolved.");
        }
        if (item.reviewState() == ReviewState.CLAIMED && !Long.valueOf(actor.id()).equals(item.claimedBy())) {
            throw DomainException.conflict("The item is claimed by " + item.claimedByName() + ".");
        }
        if (item.itemKind() == ReviewKind.APPEAL) {
            appeals.decide(actor, item, resolution, note);
            outbox.record(DomainEvent.ofItem(EventType.QUEUE_RESOLVED, item.postId(), id, resolution.wire()));
            return get(actor, id);
        }
        if (resolution.decidesAppeal()) {
            throw DomainException.invalid("action", "a review item is approved or rejected; only appeals are upheld or overturned");
        }
        boolean title = item.judged() == Subject.TITLE;
        switch (texts.setStatus(item.judged(), item.postId(), item.postVersion(), target)) {
            case STALE -> throw DomainException.conflict(title
                    ? "The title was edited since; the newer edit is being moderated."
                    : "The post was edited since; it is being moderated again.");
            case GONE -> throw DomainException.conflict(title ? "The title edit no longer exists." : "The post was deleted.");
            case APPLIED -> { }
        }
        reviews.resolve(id, actor.id(), resolution, note, clock.instant());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("item", id);
        if (title) {
            detail.put("subject", Subject.TITLE.wire());
            detail.put("version", item.postVersion());
        }
        if (note != null) {
            detail.put("note", note);
        }
        audit.record(actor, "review." + resolution.wire(), item.postId(), detail);
        outbox.record(DomainEvent.ofItem(EventType.QUEUE_RESOLVED, item.postId(), id, resolution.wire()));
        return get(actor, id);
    }

    /**
     * Reports a post the caller can see: opens its review item or adds to the unresolved one. A
     * user's second report of the same item adds nothing.
     */
    @Transactional
    void report(Actor actor, long postId, String reason) {
        actor.requireActive();
        StorableText.require("reason", reason);
        PostSnapshot post = posts.find(postId)
                .filter(p -> p.status() == PostStatus.PUBLISHED || p.authorId() == actor.id() || actor.isModerator())
                .orElseThrow(() -> DomainException.notFound("No such post."));
        if (reports.alreadyReported(post.id(), actor.id())) {
            return;
        }
        reportLimits.charge(actor.id(), actor.isModerator());   // in this transaction: a refusal writes nothing
        Instant now = clock.instant();
        long itemId = reviews.openOrAdd(post.id(), Subject.POST, post.version(), post.categorySlug(),
                List.of(new Reason("report", "user report", null, null, reason)), now);
        reports.add(itemId, post.id(), actor.id(), reason, now);
        audit.record(actor, "report", post.id(), Map.of("item", itemId, "reason", reason));
        outbox.record(DomainEvent.ofItem(EventType.QUEUE_OPENED, post.id(), itemId, null));
    }

    private List<ReviewItem> render(List<ReviewRepository.Item> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<Long> postIds = items.stream().map(ReviewRepository.Item::postId).distinct().toList();
        Map<Long, ForumPosts.Shown> found = posts.show(postIds).stream()
                .collect(Collectors.toMap(shown -> shown.snapshot().id(), Function.identity()));
        Map<Long, ModerationSummary> summaries = moderation.summaries(postIds, true);
        Map<Long, TrustLevels.AuthorTrust> authors = trust.shown(found.values().stream()
                .map(shown -> shown.snapshot().authorId()).distinct().toList());
        Map<Long, AppealViews.AppealView> appealed = appealViews.ofItems(items.stream()
                .filter(item -> item.itemKind() == ReviewKind.APPEAL).map(ReviewRepository.Item::id).toList());
        return items.stream().map(item -> {
            ForumPosts.Shown shown = found.get(item.postId());
            PostSnapshot post = shown.snapshot();
            Resolution resolution = item.resolution() == null ? null
                    : new Resolution(item.reviewResolution(), item.resolutionNote(), item.resolvedByName(), item.resolvedAt());
            ThreadRef thread = new ThreadRef(post.threadId(), post.threadTitle(), post.categorySlug());
            if (item.judged() == Subject.TITLE) {
                return renderTitle(item, shown.view(), thread, resolution, authors.get(post.authorId()));
            }
            ModerationSummary summary = summaries.get(item.postId());
            return new ReviewItem(item.id(), item.reviewState(), Subject.POST, shown.view().withModeration(summary),
                    thread, item.reasons(), item.claimedByName(), item.createdAt(), resolution, summary,
                    authors.get(post.authorId()), item.itemKind(), appealed.get(item.id()), null);
        }).toList();
    }

    /** A title edit's item: the first post showing the proposed title, with the edit's decision. */
    private ReviewItem renderTitle(ReviewRepository.Item item, PostView firstPost, ThreadRef thread,
                                   Resolution resolution, TrustLevels.AuthorTrust author) {
        ThreadTitles.TitleSnapshot edit = titles.find(item.postId(), item.postVersion()).orElseThrow();
        ModerationSummary summary = moderation.titleSummary(item.postId(), item.postVersion(), true).orElse(null);
        PostView shown = new PostView(firstPost.id(), firstPost.threadId(), firstPost.author(), edit.title(),
                edit.status().wire(), firstPost.score(), firstPost.createdAt(), firstPost.editedAt(), summary);
        return new ReviewItem(item.id(), item.reviewState(), Subject.TITLE, shown, thread, item.reasons(),
                item.claimedByName(), item.createdAt(), resolution, summary, author, item.itemKind(), null,
                new TitleEdit(edit.version(), edit.title(), edit.status().wire()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static DomainException notFound() {
        return DomainException.notFound("No such review item.");
    }
}

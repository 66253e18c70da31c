package dev.parley.forum;

import dev.parley.abuse.PostingLimits;
import dev.parley.auth.Actor;
import dev.parley.common.Cursor;
import dev.parley.common.DomainException;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.forum.ForumViews.PendingTitle;
import dev.parley.forum.ForumViews.PostView;
import dev.parley.forum.ForumViews.ThreadView;
import dev.parley.events.Audience;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.common.ReplicaRead;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

@Singleton
class ThreadService {

    private final ThreadRepository threads;
    private final PostRepository posts;
    private final PublicReads reads;
    private final CategoryRepository categories;
    private final ContentRules rules;
    private final PostViews views;
    private final ModerationGateway moderation;
    private final Clock clock;
    private final PostingLimits postingLimits;
    private final ThreadTitles titles;
    private final Outbox outbox;

    ThreadService(ThreadRepository threads, PostRepository posts, PublicReads reads, CategoryRepository categories,
                  ContentRules rules, PostViews views, ModerationGateway moderation,
                  Clock clock, PostingLimits postingLimits, ThreadTitles titles, Outbox outbox) {
        this.outbox = outbox;
        this.postingLimits = postingLimits;
        this.titles = titles;
        this.threads = threads;
        this.posts = posts;
        this.reads = reads;
        this.categories = categories;
        this.rules = rules;
        this.views = views;
        this.moderation = moderation;
        this.clock = clock;
    }

    /**
     * Opens a thread with its first post, pending until moderation decides; the thread stays
     * invisible to others until its first post is published.
     */
    @Transactional
    ThreadView create(Actor actor, ForumRequests.NewThread request) {
        actor.requireActive();
        postingLimits.charge(PostingLimits.Action.NEW_THREAD, actor.id(), actor.isModerator());
        rules.check(request.title(), request.body());
        CategoryRow category = categories.findBySlug(request.category())
                .orElseThrow(() -> DomainException.invalid("category", "no such category"));
        Instant now = clock.instant();
        long threadId = threads.save(ThreadRow.newThread(category.id(), actor.id(), request.title().strip(), now))
                .id();
        ForumPost first = posts.insert(threadId, actor.id(), actor.username(), request.body(), PostStatus.PENDING, now);
        moderation.submit(first.id(), first.version());
        outbox.record(DomainEvent.ofPost(EventType.THREAD_CREATED, Audience.STAFF, threadId, first.id(), null));
        return ThreadView.of(threads.findById(threadId).orElseThrow(), views.ofNew(first));
    }

    /**
     * A thread with its first post, or 404 when the viewer may not see it. Its author and staff also
     * see a title edit that is not (yet) the thread's title, with its moderation.
     */
    @ReplicaRead
    @Connectable  // no transaction: see PublicReads
    ThreadView get(long id) {
        return read(id, Optional.empty());
    }

    /**
     * {@link #get(long)} for a signed-in viewer, in one snapshot: the thread and the title edit its author
     * or staff see are read by separate statements, and a title published between them must not show
     * the old title without the pending edit.
     */
    @ReplicaRead
    @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
    ThreadView get(long id, Actor viewer) {
        return read(id, Optional.of(viewer));
    }

    private ThreadView read(long id, Optional<Actor> viewer) {
        PublicReads.ThreadAndFirstPost read = reads.threadAndFirstPost(id)
                .filter(t -> Visibility.canSee(t.thread(), viewer)).orElseThrow(ThreadService::notFound);
        ForumThread thread = read.thread();
        Optional<ForumPost> first = Optional.ofNullable(read.firstPost());
        PostView firstPost = first
                .filter(post -> Visibility.canSee(post, viewer))
                .map(post -> views.of(post, viewer)).orElse(null);
        PendingTitle pendingTitle = null;
        if (first.isPresent() && Visibility.isAuthorOrStaff(thread.authorId(), viewer)) {
            boolean staff = viewer.map(Actor::isModerator).orElse(false);
            pendingTitle = titles.unpublished(id).map(edit -> new PendingTitle(edit.version(), edit.title(),
                    edit.status().wire(), edit.createdAt(),
                    moderation.titleSummary(first.get().id(), edit.version(), staff).orElse(null))).orElse(null);
        }
        return ThreadView.of(thread, firstPost, pendingTitle);
    }

    /** Published threads of a category, pinned first, then by last activity. */
    @ReplicaRead
    @Transactional(readOnly = true)
    Page<ThreadView> list(String categorySlug, PageRequest page) {
        CategoryRow category = categories.findBySlug(categorySlug)
                .orElseThrow(() -> DomainException.notFound("No such category."));
        ThreadRepository.ThreadKey after = page.cursor() == null ? null : threadKey(page.cursor());
        return Page.of(threads.listVisible(category.id(), after, page.fetchSize()), page.limit(),
                        t -> Cursor.of(t.pinned(), t.lastActivityAt(), t.id()))
                .map(t -> ThreadView.of(t, null));
    }

    /**
     * Changes a thread: its author (or a moderator) the title, only moderators {@code locked} and
     * {@code pinned}. A locked thread's title can only be changed by a moderator. The author's title
     * goes through moderation first (the thread keeps its title until then); staff titles apply at
     * once and are audited.
     */
    @Transactional
    ThreadView change(Actor actor, long id, ForumRequests.ThreadChange change) {
        actor.requireActive();
        ForumThread thread = threads.findByIdForUpdate(id)
                .filter(t -> Visibility.canSee(t, Optional.of(actor)))
                .orElseThrow(ThreadService::notFound);
        boolean staff = actor.isModerator();
        if ((change.locked() != null || change.pinned() != null) && !staff) {
            throw DomainException.forbidden("Only moderators can lock or pin threads.");
        }
        if (change.title() != null) {
            if (!staff && thread.authorId() != actor.id()) {
                throw DomainException.forbidden("Only the author can change the title.");
            }
            if (!staff && thread.locked()) {
                throw DomainException.conflict("The thread is locked.");
            }
            postingLimits.charge(PostingLimits.Action.EDIT, actor.id(), staff);
            rules.check(change.title(), null);
            if (staff) {
                titles.setByStaff(actor, thread, change.title().strip());
            } else {
                titles.propose(actor, thread, change.title().strip());
            }
        }
        if (change.locked() != null || change.pinned() != null) {
            threads.updateFlags(id, change.locked() != null ? change.locked() : thread.locked(),
                    change.pinned() != null ? change.pinned() : thread.pinned());
        }
        if (change.locked() != null && change.locked() != thread.locked()) {
            // A thread the public cannot see yet (its first post unpublished) keeps the change among staff.
            outbox.record(new DomainEvent(change.locked() ? EventType.THREAD_LOCKED : EventType.THREAD_UNLOCKED,
                    Visibility.canSee(thread, Optional.empty()) ? Audience.PUBLIC : Audience.STAFF, id, null, null,
                    null));
        }
        return read(id, Optional.of(actor));
    }

    private static ThreadRepository.ThreadKey threadKey(String encoded) {
        Cursor cursor = Cursor.decode(encoded, 3);
        return new ThreadRepository.ThreadKey(cursor.booleanAt(0), cursor.instantAt(1), cursor.longAt(2));
    }

    static DomainException notFound() {
        return DomainException.notFound("No such thread.");
    }
}

package dev.parley.forum;

import dev.parley.abuse.PostingLimits;
import dev.parley.auth.Actor;
import dev.parley.common.Cursor;
import dev.parley.common.DomainException;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.forum.ForumViews.PostView;
import dev.parley.events.Audience;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.common.ReplicaRead;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

@Singleton
class PostService {

    private final PostRepository posts;
    private final PublicReads reads;
    private final ThreadRepository threads;
    private final PostLifecycle lifecycle;
    private final ContentRules rules;
    private final PostViews views;
    private final ModerationGateway moderation;
    private final Clock clock;
    private final PostingLimits postingLimits;
    private final Outbox outbox;

    PostService(PostRepository posts, PublicReads reads, ThreadRepository threads,
                PostLifecycle lifecycle, ContentRules rules, PostViews views, ModerationGateway moderation,
                Clock clock, PostingLimits postingLimits, Outbox outbox) {
        this.outbox = outbox;
        this.postingLimits = postingLimits;
        this.posts = posts;
        this.reads = reads;
        this.threads = threads;
        this.lifecycle = lifecycle;
        this.rules = rules;
        this.views = views;
        this.moderation = moderation;
        this.clock = clock;
    }

    /**
     * Replies to a thread; 409 when the thread is locked (moderators may still reply). The reply is
     * pending until moderation decides.
     */
    @Transactional
    PostView reply(Actor actor, long threadId, String body) {
        actor.requireActive();
        postingLimits.charge(PostingLimits.Action.REPLY, actor.id(), actor.isModerator());
        rules.check(null, body);
        // The row lock orders this reply after any concurrent lock change of the thread.
        ForumThread thread = threads.findByIdForUpdate(threadId)
                .filter(t -> Visibility.canSee(t, Optional.of(actor)))
                .orElseThrow(ThreadService::notFound);
        if (thread.locked() && !actor.isModerator()) {
            throw DomainException.conflict("The thread is locked.");
        }
        Instant now = clock.instant();
        ForumPost post = posts.insert(threadId, actor.id(), actor.username(), body, PostStatus.PENDING, now);
        moderation.submit(post.id(), post.version());
        outbox.record(DomainEvent.ofPost(EventType.POST_CREATED, Audience.STAFF, threadId, post.id(), null));
        return views.ofNew(post);
    }

    /** A post, or 404 when the viewer may not see it. */
    @ReplicaRead
    @Transactional(readOnly = true)
    PostView get(long id, Optional<Actor> viewer) {
        return views.of(visiblePost(id, viewer), viewer);
    }

    /** A thread's posts visible to the viewer, oldest first. */
    @ReplicaRead
    @Connectable  // no transaction: see PublicReads
    Page<PostView> list(long threadId, PageRequest page, Optional<Actor> viewer) {
        long afterId = page.cursor() == null ? 0 : Cursor.decode(page.cursor(), 1).longAt(0);
        long viewerId = viewer.map(Actor::id).orElse(-1L);
        boolean staff = viewer.map(Actor::isModerator).orElse(false);
        PublicReads.PostsOfThread read = reads.postsForViewer(threadId, afterId, viewerId, staff, page.fetchSize())
                .filter(t -> Visibility.canSeeThread(t.threadAuthorId(), t.threadVisible(), viewer))
                .orElseThrow(ThreadService::notFound);
        Page<ForumPost> rows = Page.of(read.posts(), page.limit(), p -> Cursor.of(p.id()));
        return new Page<>(views.of(rows.items(), viewer), rows.nextCursor());
    }

    /**
     * Replaces the text of the caller's own post, which goes back to pending and through moderation
     * again. Deleted posts and posts in locked threads cannot be edited.
     */
    @Transactional
    PostView edit(Actor actor, long id, String body) {
        actor.requireActive();
        postingLimits.charge(PostingLimits.Action.EDIT, actor.id(), actor.isModerator());
        rules.check(null, body);
        ForumPost post = lockVisiblePost(id, actor);
        if (post.authorId() != actor.id()) {
            throw DomainException.forbidden("Only the author can edit a post.");
        }
        if (post.status() == PostStatus.DELETED) {
            throw DomainException.conflict("The post is deleted.");
        }
        if (threads.findById(post.threadId()).orElseThrow().locked() && !actor.isModerator()) {
            throw DomainException.conflict("The thread is locked.");
        }
        Instant now = clock.instant();
        posts.updateBody(id, body, now);
        ForumPost edited = posts.findById(id).orElseThrow();
        lifecycle.move(edited, PostStatus.PENDING, now, null);
        moderation.submit(id, edited.version());
        outbox.record(DomainEvent.ofPost(EventType.POST_EDITED, Audience.STAFF, edited.threadId(), id,
                edited.version()));
        return views.of(posts.findById(id).orElseThrow(), Optional.of(actor));
    }

    /** Soft-deletes a post: its author or a moderator. Deleting twice is not an error. */
    @Transactional
    void delete(Actor actor, long id) {
        actor.requireActive();
        ForumPost post = lockVisiblePost(id, actor);
        if (post.authorId() != actor.id() && !actor.isModerator()) {
            throw DomainException.forbidden("Only the author or a moderator can delete a post.");
        }
        lifecycle.move(post, PostStatus.DELETED, clock.instant(), actor.id());
    }

    ForumPost visiblePost(long id, Optional<Actor> viewer) {
        return posts.findById(id).filter(p -> Visibility.canSee(p, viewer)).orElseThrow(PostService::notFound);
    }

    private ForumPost lockVisiblePost(long id, Actor actor) {
        return posts.findByIdForUpdate(id).filter(p -> Visibility.canSee(p, Optional.of(actor)))
                .orElseThrow(PostService::notFound);
    }

    static DomainException notFound() {
        return DomainException.notFound("No such post.");
    }
}

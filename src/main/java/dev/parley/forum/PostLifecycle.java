package dev.parley.forum;

import dev.parley.events.Audience;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * The single place where a post changes status. Moving into or out of {@code published} keeps the
 * thread's published count, last activity and (for the first post) visibility in step, and
 * publishing queues the post's embedding, and the move is recorded in the outbox, all inside the
 * caller's transaction. Only moves into or out of {@code published} are public events: what the
 * public never saw (pending, flagged, rejected) stays among staff.
 */
@Singleton
class PostLifecycle {

    private final PostRepository posts;
    private final ThreadRepository threads;
    private final SearchGateway search;
    private final Outbox outbox;

    PostLifecycle(PostRepository posts, ThreadRepository threads, SearchGateway search, Outbox outbox) {
        this.posts = posts;
        this.threads = threads;
        this.search = search;
        this.outbox = outbox;
    }

    /**
     * Moves {@code post} to {@code target}; a no-op when it is already there.
     *
     * @param actorId who deleted it, recorded only for {@link PostStatus#DELETED}
     */
    void move(ForumPost post, PostStatus target, Instant now, Long actorId) {
        if (post.status() == target) {
            return;
        }
        boolean deleting = target == PostStatus.DELETED;
        posts.update(post.id(), target, deleting ? now : null, deleting ? actorId : null);

        boolean wasPublished = post.status() == PostStatus.PUBLISHED;
        boolean isPublished = target == PostStatus.PUBLISHED;
        int countDelta = wasPublished == isPublished ? 0 : (isPublished ? 1 : -1);
        boolean firstPost = posts.firstPostId(post.threadId()).orElseThrow() == post.id();
        threads.applyPublication(post.threadId(), countDelta, isPublished ? now : null,
                firstPost ? Boolean.valueOf(isPublished) : null);
        // Leaving "published" needs nothing from search: queries only return published posts.
        if (isPublished) {
            search.published(post.id(), post.version());
        }
        recordMove(post, wasPublished, target);
    }

    private void recordMove(ForumPost post, boolean wasPublished, PostStatus target) {
        if (target == PostStatus.PUBLISHED) {
            outbox.record(DomainEvent.ofPost(EventType.POST_PUBLISHED, Audience.PUBLIC, post.threadId(), post.id(),
                    post.version()));
        } else if (target == PostStatus.DELETED) {
            outbox.record(DomainEvent.ofPost(EventType.POST_DELETED, wasPublished ? Audience.PUBLIC : Audience.STAFF,
                    post.threadId(), post.id(), null));
        } else if (wasPublished) {
            outbox.record(DomainEvent.ofPost(EventType.POST_HIDDEN, Audience.PUBLIC, post.threadId(), post.id(), null));
        }
    }
}

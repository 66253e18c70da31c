package dev.parley.forum;

import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * The single place where a post changes status. Moving into or out of {@code published} keeps the
 * thread's published count, last activity and (for the first post) visibility in step, and
 * publishing queues the post's embedding, all inside the caller's transaction.
 */
@Singleton
class PostLifecycle {

    private final PostRepository posts;
    private final ThreadRepository threads;
    private final SearchGateway search;

    PostLifecycle(PostRepository posts, ThreadRepository threads, SearchGateway search) {
        this.posts = posts;
        this.threads = threads;
        this.search = search;
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
    }
}

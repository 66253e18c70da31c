package dev.parley.forum;

import dev.parley.forum.ForumViews.PostView;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The forum as other features see it: reading posts (moderation, search) and the one way
 * moderation changes a post's status.
 */
@Singleton
public class ForumPosts {

    /** What became of a status change. */
    public enum Outcome { APPLIED, STALE, GONE }

    private final PostRepository posts;
    private final PostLifecycle lifecycle;
    private final Clock clock;

    ForumPosts(PostRepository posts, PostLifecycle lifecycle, Clock clock) {
        this.posts = posts;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** The posts with these ids that exist, in no particular order. */
    @Transactional(readOnly = true)
    public List<PostSnapshot> find(Collection<Long> ids) {
        return ids.isEmpty() ? List.of()
                : posts.findInThread(ids.toArray(Long[]::new)).stream().map(ForumPosts::snapshot).toList();
    }

    /** When the posts with these ids that exist were first posted (the transparency export's content date). */
    @Transactional(readOnly = true)
    public Map<Long, Instant> postedAt(Collection<Long> ids) {
        return ids.isEmpty() ? Map.of() : posts.postedAt(ids.toArray(Long[]::new)).stream()
                .collect(Collectors.toMap(PostRepository.PostedAt::id, PostRepository.PostedAt::createdAt));
    }

    /** A post with its public shape, for a feature that shows posts (the review queue). */
    public record Shown(PostSnapshot snapshot, PostView view) {
    }

    /** The posts with these ids that exist, each with the view the forum's API gives of it. */
    @Transactional(readOnly = true)
    public List<Shown> show(Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : posts.findInThread(ids.toArray(Long[]::new)).stream()
                .map(row -> new Shown(snapshot(row), PostView.of(row.post(), null))).toList();
    }

    @Transactional(readOnly = true)
    public Optional<PostSnapshot> find(long id) {
        return find(List.of(id)).stream().findFirst();
    }

    /** {@link #lock(long)} for a batch of posts in one statement (those that exist), and their threads. */
    @Transactional
    public List<PostSnapshot> lock(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<PostSnapshot> locked = posts.lockInThreadInOrder(ids.toArray(Long[]::new)).stream()
                .map(ForumPosts::snapshot).toList();
        // Their decisions update the posts' threads in the batch's order: without these locks taken first,
        // in id order, two batches deadlocked on two threads and a reply waiting on one was the victim.
        posts.lockThreadsInOrder(locked.stream().map(PostSnapshot::threadId).distinct().toArray(Long[]::new));
        return locked;
    }

    /**
     * Locks the post for the rest of the caller's transaction and returns it, so that a decision
     * and the status change it causes see and change the same version.
     */
    @Transactional
    public Optional<PostSnapshot> lock(long id) {
        return posts.lockInThread(new Long[] {id}).stream().map(ForumPosts::snapshot).findFirst();
    }

    /**
     * Moves a post to {@code target} if it still is at {@code version} and not deleted, in the
     * caller's transaction. A post edited since is {@link Outcome#STALE}: a verdict covers only the
     * text it judged.
     */
    @Transactional
    public Outcome setStatus(long postId, int version, PostStatus target) {
        Optional<ForumPost> locked = posts.findByIdForUpdate(postId);
        if (locked.isEmpty() || locked.get().status() == PostStatus.DELETED) {
            return Outcome.GONE;
        }
        if (locked.get().version() != version) {
            return Outcome.STALE;
        }
        lifecycle.move(locked.get(), target, clock.instant(), null);
        return Outcome.APPLIED;
    }

    private static PostSnapshot snapshot(PostRepository.InThread row) {
        ForumPost post = row.post();
        return new PostSnapshot(post.id(), post.version(), post.status(), row.firstPost(), row.threadTitle(),
                post.threadId(), row.categorySlug(), post.authorId(), post.body());
    }
}

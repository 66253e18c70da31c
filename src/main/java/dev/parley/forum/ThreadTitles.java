package dev.parley.forum;

import dev.parley.auth.Actor;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Thread title edits. A member's edit is stored as a revision and sent to moderation; the thread
 * keeps its public title until moderation (or a moderator) publishes the revision, so no page,
 * listing or search shows an unmoderated title. Moderation sees a revision keyed by the thread's
 * first post and the revision's version, the way it sees post versions.
 */
@Singleton
public class ThreadTitles {

    /** A title edit as moderation sees it. */
    public record TitleSnapshot(long threadId, long firstPostId, int version, String title, TitleStatus status,
                                boolean latest, String currentTitle, String categorySlug, long authorId) {

        /** Whether the edit still waits for a verdict: pending and not replaced by a newer edit. */
        public boolean awaitingVerdict() {
            return latest && status == TitleStatus.PENDING;
        }
    }

    private final TitleRevisionRepository revisions;
    private final ThreadRepository threads;
    private final PostRepository posts;
    private final ModerationGateway moderation;
    private final SearchGateway search;
    private final Clock clock;

    ThreadTitles(TitleRevisionRepository revisions, ThreadRepository threads, PostRepository posts,
                 ModerationGateway moderation, SearchGateway search, Clock clock) {
        this.revisions = revisions;
        this.threads = threads;
        this.posts = posts;
        this.moderation = moderation;
        this.search = search;
        this.clock = clock;
    }

    /** Revision {@code version} of the thread that {@code firstPostId} opens. */
    @Transactional(readOnly = true)
    public Optional<TitleSnapshot> find(long firstPostId, int version) {
        return revisions.find(firstPostId, version).map(ThreadTitles::snapshot);
    }

    /** Like {@link #find}, locking the thread and the revision for the rest of the caller's transaction. */
    @Transactional
    public Optional<TitleSnapshot> lock(long firstPostId, int version) {
        return revisions.lock(firstPostId, version).map(ThreadTitles::snapshot);
    }

    /**
     * Locks the thread that {@code firstPostId} opens for the rest of the caller's transaction: the
     * row that title edits and their decisions serialise on.
     */
    @Transactional
    public void lockThreadOf(long firstPostId) {
        posts.findById(firstPostId).ifPresent(post -> threads.findByIdForUpdate(post.threadId()));
    }

    /**
     * Applies a moderation outcome ({@code PUBLISHED}, {@code FLAGGED} or {@code REJECTED}) to a title
     * edit, in the caller's transaction: publishing makes it the thread's title and re-indexes the
     * first post under it. An edit replaced by a newer one is {@link ForumPosts.Outcome#STALE}.
     */
    @Transactional
    public ForumPosts.Outcome setStatus(long firstPostId, int version, PostStatus outcome) {
        Optional<TitleRevisionRepository.InThread> locked = revisions.lock(firstPostId, version);
        if (locked.isEmpty()) {
            return ForumPosts.Outcome.GONE;
        }
        TitleRevisionRepository.InThread revision = locked.get();
        if (!revision.latest() || revision.status() == TitleStatus.SUPERSEDED) {
            return ForumPosts.Outcome.STALE;
        }
        revisions.updateStatus(revision.threadId(), version, TitleStatus.of(outcome));
        if (outcome == PostStatus.PUBLISHED) {
            publish(revision.threadId(), revision.title());
        }
        return ForumPosts.Outcome.APPLIED;
    }

    /**
     * A member's edit: replaces any earlier edit still waiting, stores this one as pending and queues
     * its moderation. The caller holds the thread's row lock.
     */
    void propose(Actor actor, ForumThread thread, String title) {
        revisions.supersedeWaiting(thread.id());
        int version = store(actor, thread, title, TitleStatus.PENDING);
        moderation.submitTitle(firstPostId(thread), version);
    }

    /**
     * A moderator's or admin's edit: takes effect at once, replacing any edit still waiting, and is
     * recorded in the moderation audit. The caller holds the thread's row lock.
     */
    void setByStaff(Actor actor, ForumThread thread, String title) {
        revisions.supersedeWaiting(thread.id());
        int version = store(actor, thread, title, TitleStatus.PUBLISHED);
        publish(thread.id(), title);
        moderation.titleSetByStaff(actor, firstPostId(thread), version, thread.title(), title);
    }

    /** The thread's newest edit when it is not (or not yet) its title: what its author and staff are shown. */
    @Transactional(readOnly = true)
    Optional<TitleRevisionRepository.InThread> unpublished(long threadId) {
        return revisions.latest(threadId)
                .filter(r -> r.status() != TitleStatus.PUBLISHED && r.status() != TitleStatus.SUPERSEDED);
    }

    private int store(Actor actor, ForumThread thread, String title, TitleStatus status) {
        int version = revisions.latestVersion(thread.id()) + 1;
        revisions.save(new TitleRevisionRow(null, thread.id(), version, title, status, actor.id(),
                clock.instant().truncatedTo(ChronoUnit.MICROS)));
        return version;
    }

    private void publish(long threadId, String title) {
        threads.updateTitle(threadId, title);
        // The title is searched with the first post: make it searchable under the new title.
        posts.firstPostId(threadId).flatMap(posts::findById).filter(p -> p.status() == PostStatus.PUBLISHED)
                .ifPresent(p -> search.published(p.id(), p.version()));
    }

    private long firstPostId(ForumThread thread) {
        return posts.firstPostId(thread.id()).orElseThrow();
    }

    private static TitleSnapshot snapshot(TitleRevisionRepository.InThread r) {
        return new TitleSnapshot(r.threadId(), r.firstPostId(), r.version(), r.title(), r.status(), r.latest(),
                r.currentTitle(), r.categorySlug(), r.authorId());
    }
}

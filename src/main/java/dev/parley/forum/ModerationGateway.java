package dev.parley.forum;

import dev.parley.auth.Actor;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What the forum asks of moderation: to moderate a post version or a thread title edit, and what was
 * decided. A title edit is keyed by the thread's first post and the edit's version.
 */
public interface ModerationGateway {

    /**
     * Queues the moderation of a post version, in the caller's transaction: the post and its
     * moderation job commit together or not at all.
     */
    void submit(long postId, int version);

    /** The latest decision per post, as the author sees it or, for staff, in full. Absent: none yet. */
    Map<Long, ModerationSummary> summaries(Collection<Long> postIds, boolean staff);

    /**
     * Queues the moderation of title edit {@code version} of the thread that {@code firstPostId}
     * opens, in the caller's transaction.
     */
    void submitTitle(long firstPostId, int version);

    /** The decision on a title edit, as its author sees it or, for staff, in full. Absent: none yet. */
    Optional<ModerationSummary> titleSummary(long firstPostId, int version, boolean staff);

    /**
     * Records in the moderation audit that staff set a thread's title directly (edit {@code version}),
     * and closes the title's open review item: what it was about has been replaced.
     */
    void titleSetByStaff(Actor actor, long firstPostId, int version, String from, String to);
}

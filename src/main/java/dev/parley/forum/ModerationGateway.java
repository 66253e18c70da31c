package dev.parley.forum;

import java.util.Collection;
import java.util.Map;

/** What the forum asks of moderation: to moderate a post version, and what was decided. */
public interface ModerationGateway {

    /**
     * Queues the moderation of a post version, in the caller's transaction: the post and its
     * moderation job commit together or not at all.
     */
    void submit(long postId, int version);

    /** The latest decision per post, as the author sees it or, for staff, in full. Absent: none yet. */
    Map<Long, ModerationSummary> summaries(Collection<Long> postIds, boolean staff);
}

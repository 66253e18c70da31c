package dev.parley.moderation;

import dev.parley.auth.TrustLevel;
import dev.parley.auth.TrustLevels;
import dev.parley.forum.AuthorActivity;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Brings an author's trust level up to date when one of their posts is decided, inside the
 * decision's transaction, and tells the policy who the author is. A level matters only at that
 * moment, so evaluating it then gives the answer a periodic sweep would, without the sweep: the
 * account age that passed since the last post counts the instant the next post is decided. (Their
 * own view of the level, in {@code GET /api/me}, is as of their last decided post.)
 */
@Singleton
class TrustAdvancement {

    private final TrustLevels levels;
    private final AuthorActivity activity;
    private final TrustHistoryRepository history;
    private final TrustLadder ladder;
    private final AuditLog audit;

    TrustAdvancement(TrustLevels levels, AuthorActivity activity, TrustHistoryRepository history, TrustLadder ladder,
                     AuditLog audit) {
        this.levels = levels;
        this.activity = activity;
        this.history = history;
        this.ladder = ladder;
        this.audit = audit;
    }

    /**
     * The author of the post (or title edit) as the policy sees them, after any rise their record has
     * earned by {@code now}.
     */
    PolicyEvaluator.Author authorOf(ModeratedText post, Instant now) {
        TrustLevels.Standing standing = levels.of(List.of(post.authorId())).get(post.authorId());
        long published = activity.publishedPosts(post.authorId(), post.id());
        TrustLevel level = standing.level();
        if (!standing.staff() && !standing.locked() && ladder.above(level)) {
            TrustLevel earned = ladder.earned(new TrustLadder.Record(level, published, standing.createdAt(),
                    history.lastRejection(post.authorId()).orElse(null)), now);
            if (level.below(earned) && levels.raise(post.authorId(), earned)) {
                audit.record(null, "trust.raise", post.id(), Map.of("user", standing.username(),
                        "from", level.value(), "to", earned.value(), "publishedPosts", published));
                level = earned;
            }
        }
        return new PolicyEvaluator.Author(level.value(), published, standing.staff());
    }
}

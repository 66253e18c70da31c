package dev.parley.moderation;

import dev.parley.auth.TrustLevel;
import dev.parley.auth.TrustLevels;
import dev.parley.forum.AuthorActivity;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
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
     * The authors of a batch of texts about to be decided, read with one statement per kind of fact
     * (standing, published posts, last rejection) instead of per text: counting an author's posts per
     * text cost a scan of all their posts for every post they wrote.
     */
    Authors authorsOf(Collection<ModeratedText> texts) {
        List<Long> authorIds = texts.stream().map(ModeratedText::authorId).distinct().toList();
        List<Long> postIds = texts.stream().map(ModeratedText::id).distinct().toList();
        Map<Long, TrustLevels.Standing> standings = new HashMap<>(levels.of(authorIds));
        AuthorActivity.Published published = activity.published(authorIds, postIds);
        // Only authors who can still rise have a rejection that matters.
        Long[] rising = standings.values().stream()
                .filter(s -> !s.staff() && !s.locked() && ladder.above(s.level()))
                .map(TrustLevels.Standing::userId).toArray(Long[]::new);
        List<TrustHistoryRepository.Rejection> rejections = rising.length == 0 ? List.of()
                : history.lastRejections(rising, postIds.toArray(Long[]::new));
        return new Authors(standings, published, rejections);
    }

    /**
     * The authors of one batch as they stand while its texts are decided one after another in one
     * transaction: each text sees the batch's earlier decisions (a post published, a post rejected, a
     * level raised), as it would reading them back, without reading them back.
     */
    final class Authors {

        private final Map<Long, TrustLevels.Standing> standings;
        private final Map<Long, Long> publishedElsewhere;
        private final Map<Long, Long> batchAuthors;
        private final Map<Long, Boolean> batchPublished;
        private final Map<Long, Instant> rejectedElsewhere = new HashMap<>();
        private final Map<Long, Instant> batchRejected = new HashMap<>();

        private Authors(Map<Long, TrustLevels.Standing> standings, AuthorActivity.Published published,
                        List<TrustHistoryRepository.Rejection> rejections) {
            this.standings = standings;
            this.publishedElsewhere = published.elsewhere();
            this.batchAuthors = new HashMap<>(published.batchAuthors());
            this.batchPublished = new HashMap<>(published.batchPublished());
            for (TrustHistoryRepository.Rejection r : rejections) {
                if (r.postId() == null) {
                    rejectedElsewhere.put(r.authorId(), r.at());
                } else {
                    batchRejected.put(r.postId(), r.at());
                }
            }
        }

        /**
         * The author of the post (or title edit) as the policy sees them, after any rise their record
         * has earned by {@code now}.
         */
        PolicyEvaluator.Author authorOf(ModeratedText text, Instant now) {
            long authorId = text.authorId();
            TrustLevels.Standing standing = standings.get(authorId);
            long published = publishedPosts(authorId, text.id());
            TrustLevel level = standing.level();
            if (!standing.staff() && !standing.locked() && ladder.above(level)) {
                TrustLevel earned = ladder.earned(new TrustLadder.Record(level, published, standing.createdAt(),
                        lastRejection(authorId)), now);
                if (level.below(earned) && levels.raise(authorId, earned)) {
                    audit.record(null, "trust.raise", text.id(), Map.of("user", standing.username(),
                            "from", level.value(), "to", earned.value(), "publishedPosts", published));
                    level = earned;
                    standings.put(authorId, new TrustLevels.Standing(authorId, standing.username(), earned,
                            standing.locked(), standing.staff(), standing.createdAt()));
                }
            }
            return new PolicyEvaluator.Author(level.value(), published, standing.staff());
        }

        /**
         * Records a decision the caller stored and applied, so the batch's later texts count it.
         *
         * @param applied whether the text's status changed (a post moved to the decision's status)
         */
        void decided(ModeratedText text, Decision decision, boolean applied, Instant now) {
            if (decision == Decision.REJECTED) {
                // A title edit's decision is stored under its thread's first post, and counts for that post.
                batchRejected.merge(text.id(), now, (a, b) -> a.isAfter(b) ? a : b);
            }
            if (applied && text.subject() == Subject.POST) {
                batchAuthors.put(text.id(), text.authorId());
                batchPublished.put(text.id(), decision == Decision.PUBLISHED);
            }
        }

        /** The author's published posts, not counting {@code exceptPostId}: rejected, flagged and deleted posts earn nothing. */
        private long publishedPosts(long authorId, long exceptPostId) {
            long published = publishedElsewhere.getOrDefault(authorId, 0L);
            for (Map.Entry<Long, Boolean> post : batchPublished.entrySet()) {
                Long author = batchAuthors.get(post.getKey());
                if (post.getValue() && post.getKey() != exceptPostId && author != null && author == authorId) {
                    published++;
                }
            }
            return published;
        }

        /** When a post of the author that is not published now was last rejected, or null. */
        private Instant lastRejection(long authorId) {
            Instant last = rejectedElsewhere.get(authorId);
            for (Map.Entry<Long, Instant> post : batchRejected.entrySet()) {
                Long author = batchAuthors.get(post.getKey());
                if (author != null && author == authorId && !batchPublished.getOrDefault(post.getKey(), false)
                        && (last == null || post.getValue().isAfter(last))) {
                    last = post.getValue();
                }
            }
            return last;
        }
    }
}

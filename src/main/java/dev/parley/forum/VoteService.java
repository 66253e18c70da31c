package dev.parley.forum;

import dev.parley.auth.Actor;
import dev.parley.common.DomainException;
import dev.parley.forum.ForumViews.ScoreView;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/**
 * One vote per user and post, on published posts of others. The post row is locked first, so the
 * stored score is always the sum of the votes however many arrive at once.
 */
@Singleton
class VoteService {

    private final PostRepository posts;
    private final VoteRepository votes;
    private final Clock clock;

    VoteService(PostRepository posts, VoteRepository votes, Clock clock) {
        this.posts = posts;
        this.votes = votes;
        this.clock = clock;
    }

    /** Casts or changes the caller's vote ({@code 1} or {@code -1}) and returns the post's score. */
    @Transactional
    ScoreView vote(Actor actor, long postId, int value) {
        actor.requireActive();
        if (value != 1 && value != -1) {
            throw DomainException.invalid("value", "must be 1 or -1");
        }
        ForumPost post = lockPublished(postId);
        if (post.authorId() == actor.id()) {
            throw DomainException.forbidden("You cannot vote on your own post.");
        }
        int previous = votes.findById(new VoteRow.Key(postId, actor.id())).map(VoteRow::value).orElse(0);
        if (previous == value) {
            return new ScoreView(post.score());
        }
        votes.upsert(postId, actor.id(), value, clock.instant());
        return new ScoreView(posts.addToScore(postId, value - previous));
    }

    /** Withdraws the caller's vote, if any, and returns the post's score. */
    @Transactional
    ScoreView withdraw(Actor actor, long postId) {
        actor.requireActive();
        ForumPost post = lockPublished(postId);
        VoteRow.Key key = new VoteRow.Key(postId, actor.id());
        Optional<Integer> previous = votes.findById(key).map(VoteRow::value);
        if (previous.isEmpty()) {
            return new ScoreView(post.score());
        }
        votes.deleteById(key);
        return new ScoreView(posts.addToScore(postId, -previous.get()));
    }

    private ForumPost lockPublished(long postId) {
        return posts.findByIdForUpdate(postId).filter(p -> p.status() == PostStatus.PUBLISHED)
                .orElseThrow(PostService::notFound);
    }
}

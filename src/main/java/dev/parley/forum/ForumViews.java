package dev.parley.forum;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** The JSON shapes of API.md for threads and posts. */
public final class ForumViews {

    private ForumViews() {
    }

    @Serdeable
    public record AuthorRef(long id, String username) {
    }

    /** {@code pendingTitle} only for the thread's author and staff, and only while a title edit is unpublished. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThreadView(long id, String category, String title, AuthorRef author, boolean locked, boolean pinned,
                      Instant createdAt, Instant lastActivityAt, int postCount, PostView firstPost,
                      PendingTitle pendingTitle) {

        static ThreadView of(ForumThread thread, PostView firstPost) {
            return of(thread, firstPost, null);
        }

        static ThreadView of(ForumThread thread, PostView firstPost, PendingTitle pendingTitle) {
            return new ThreadView(thread.id(), thread.categorySlug(), thread.title(),
                    new AuthorRef(thread.authorId(), thread.authorUsername()), thread.locked(), thread.pinned(),
                    thread.createdAt(), thread.lastActivityAt(), thread.postCount(), firstPost, pendingTitle);
        }
    }

    /**
     * A title edit that is not the thread's title: {@code status} pending, flagged or rejected (see
     * {@link TitleStatus}), with its moderation as for a post.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PendingTitle(int version, String title, String status, Instant createdAt, ModerationSummary moderation) {
    }

    /**
     * {@code editedAt} is null until the first edit; {@code moderation} is only shown to the author
     * and to moderators, and left out for everyone else.
     */
    @Serdeable
    public record PostView(long id, long threadId, AuthorRef author, String body, String status, int score,
                           Instant createdAt, Instant editedAt,
                           @JsonInclude(JsonInclude.Include.NON_NULL) ModerationSummary moderation) {

        public PostView withModeration(ModerationSummary summary) {
            return new PostView(id, threadId, author, body, status, score, createdAt, editedAt, summary);
        }

        static PostView of(ForumPost post, ModerationSummary moderation) {
            return new PostView(post.id(), post.threadId(), new AuthorRef(post.authorId(), post.authorUsername()),
                    post.body(), post.status().wire(), post.score(), post.createdAt(), post.editedAt(), moderation);
        }
    }

    @Serdeable
    record ScoreView(int score) {
    }
}

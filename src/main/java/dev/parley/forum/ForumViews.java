package dev.parley.forum;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** The JSON shapes of API.md for threads and posts. */
final class ForumViews {

    private ForumViews() {
    }

    @Serdeable
    record AuthorRef(long id, String username) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThreadView(long id, String category, String title, AuthorRef author, boolean locked, boolean pinned,
                      Instant createdAt, Instant lastActivityAt, int postCount, PostView firstPost) {

        static ThreadView of(ForumThread thread, PostView firstPost) {
            return new ThreadView(thread.id(), thread.categorySlug(), thread.title(),
                    new AuthorRef(thread.authorId(), thread.authorUsername()), thread.locked(), thread.pinned(),
                    thread.createdAt(), thread.lastActivityAt(), thread.postCount(), firstPost);
        }
    }

    /** {@code editedAt} is null until the first edit. */
    @Serdeable
    record PostView(long id, long threadId, AuthorRef author, String body, String status, int score,
                    Instant createdAt, Instant editedAt) {

        static PostView of(ForumPost post) {
            return new PostView(post.id(), post.threadId(), new AuthorRef(post.authorId(), post.authorUsername()),
                    post.body(), post.status().wire(), post.score(), post.createdAt(), post.editedAt());
        }
    }

    @Serdeable
    record ScoreView(int score) {
    }
}

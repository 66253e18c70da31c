package dev.parley.forum;

import java.time.Instant;

/** A row of {@code posts} with its author's name joined in. */
record ForumPost(long id, long threadId, long authorId, String authorUsername, String body, PostStatus status,
                 int score, int version, Instant createdAt, Instant editedAt) {
}

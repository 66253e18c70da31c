package dev.parley.forum;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A row of {@code posts} with its author's name joined in. The status is read as {@code post_status}:
 * Micronaut Data 4.14 lends a projection property the converter of the same-named entity property
 * ({@link PostRow#status()}) and then fails to resolve it, while Micronaut's own enum conversion reads
 * the stored lowercase name as is.
 */
@Introspected
record ForumPost(long id, long threadId, long authorId, String authorUsername, String body, PostStatus postStatus,
                 int score, int version, Instant createdAt, @Nullable Instant editedAt) {

    PostStatus status() {
        return postStatus;
    }
}

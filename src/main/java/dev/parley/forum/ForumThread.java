package dev.parley.forum;

import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/** A row of {@code threads} with its category slug and author name joined in. */
@Introspected
record ForumThread(long id, long categoryId, String categorySlug, long authorId, String authorUsername, String title,
                   boolean locked, boolean pinned, boolean visible, int postCount, Instant createdAt,
                   Instant lastActivityAt) {
}

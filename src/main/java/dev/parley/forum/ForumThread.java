package dev.parley.forum;

import java.time.Instant;

/** A row of {@code threads} with its category slug and author name joined in. */
record ForumThread(long id, long categoryId, String categorySlug, long authorId, String authorUsername, String title,
                   boolean locked, boolean pinned, boolean visible, int postCount, Instant createdAt,
                   Instant lastActivityAt) {
}

package dev.parley.forum;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code threads}; reads go through {@link ForumThread}, which joins in the names. */
@MappedEntity("threads")
record ThreadRow(@Id @GeneratedValue @Nullable Long id, long categoryId, long authorId, String title,
                 boolean locked, boolean pinned, boolean visible, int postCount, Instant createdAt,
                 Instant lastActivityAt) {

    /** A thread stays invisible, and counts no posts, until its first post is published. */
    static ThreadRow newThread(long categoryId, long authorId, String title, Instant now) {
        return new ThreadRow(null, categoryId, authorId, title, false, false, false, 0, now, now);
    }
}

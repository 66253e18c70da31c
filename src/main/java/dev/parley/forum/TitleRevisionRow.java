package dev.parley.forum;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A row of {@code thread_title_revisions}: one edit of a thread's title. The status is kept as its
 * wire text (see {@link TitleStatus}); reads go through {@link TitleRevisionRepository.InThread}.
 */
@MappedEntity("thread_title_revisions")
record TitleRevisionRow(@Id @GeneratedValue @Nullable Long id, long threadId, int version, String title, String status,
                        long authorId, Instant createdAt) {
}

package dev.parley.forum;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/**
 * A row of {@code thread_title_revisions}: one edit of a thread's title; reads go through
 * {@link TitleRevisionRepository.InThread}.
 */
@MappedEntity("thread_title_revisions")
record TitleRevisionRow(@Id @GeneratedValue @Nullable Long id, long threadId, int version, String title,
                        @TypeDef(type = DataType.STRING, converter = TitleStatusConverter.class) TitleStatus status,
                        long authorId, Instant createdAt) {
}

package dev.parley.forum;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;

/**
 * A row of {@code posts}; reads go through {@link ForumPost}, which joins in the author's name.
 * {@code version} is deliberately not a {@code @Version}: it counts edits (moderation and embeddings
 * key on it), not writes, so it is bumped explicitly by the edit statement alone.
 */
@MappedEntity("posts")
record PostRow(@Id @GeneratedValue @Nullable Long id, long threadId, long authorId, String body,
               @TypeDef(type = DataType.STRING, converter = PostStatusConverter.class) PostStatus status,
               int score, int version, Instant createdAt, @Nullable Instant editedAt, @Nullable Instant deletedAt,
               @Nullable Long deletedBy) {

    static PostRow newPost(long threadId, long authorId, String body, PostStatus status, Instant now) {
        return new PostRow(null, threadId, authorId, body, status, 0, 1, now, null, null, null);
    }
}

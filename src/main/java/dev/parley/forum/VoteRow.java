package dev.parley.forum;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

import java.time.Instant;

/** A row of {@code votes}: one per user and post, {@code value} 1 or -1. */
@MappedEntity("votes")
record VoteRow(@EmbeddedId Key id, int value, Instant createdAt) {

    @Embeddable
    record Key(@MappedProperty("post_id") long postId, @MappedProperty("user_id") long userId) {
    }
}

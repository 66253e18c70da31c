package dev.parley.events;

import io.micronaut.core.annotation.Nullable;

/**
 * An event as a feature records it. {@code detail} is a short typed value (a decision, a resolution,
 * a version), never user text: the stream carries ids, and clients read the content through the API,
 * where visibility is checked.
 */
public record DomainEvent(EventType type, Audience audience, @Nullable Long threadId, @Nullable Long postId,
                          @Nullable Long itemId, @Nullable String detail) {

    public static DomainEvent ofPost(EventType type, Audience audience, long threadId, long postId,
                                     @Nullable Object detail) {
        return new DomainEvent(type, audience, threadId, postId, null, detail == null ? null : detail.toString());
    }

    public static DomainEvent ofItem(EventType type, @Nullable Long postId, long itemId, @Nullable Object detail) {
        return new DomainEvent(type, Audience.STAFF, null, postId, itemId, detail == null ? null : detail.toString());
    }
}

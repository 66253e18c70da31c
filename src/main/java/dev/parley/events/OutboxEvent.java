package dev.parley.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A committed event as readers see it; also the JSON of an SSE event's {@code data}.
 *
 * @param id       commit order: an event with a greater id committed later
 * @param type     the wire name of its {@link EventType} ({@link #eventType()})
 * @param audience {@code public} or {@code staff} ({@link #audienceOf()})
 */
@Serdeable
public record OutboxEvent(long id, String type, String audience, @Nullable Long threadId, @Nullable Long postId,
                          @Nullable Long itemId, @Nullable String detail, Instant at) {

    public EventType eventType() {
        return EventType.ofWire(type).orElseThrow();
    }

    public Audience audienceOf() {
        return Audience.valueOf(audience.toUpperCase(java.util.Locale.ROOT));
    }
}

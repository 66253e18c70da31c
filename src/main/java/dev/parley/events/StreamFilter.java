package dev.parley.events;

import io.micronaut.core.annotation.Nullable;

/**
 * Which events a stream carries: the public events of one thread, or (no thread) every event, for staff.
 */
public record StreamFilter(@Nullable Long threadId) {

    public static StreamFilter publicThread(long threadId) {
        return new StreamFilter(threadId);
    }

    public static StreamFilter staff() {
        return new StreamFilter(null);
    }

    boolean accepts(OutboxEvent event) {
        return threadId == null
                || (threadId.equals(event.threadId()) && event.audienceOf() == Audience.PUBLIC);
    }
}

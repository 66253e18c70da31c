package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.events.EventStreams;
import dev.parley.events.StreamFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/** The moderators' live stream: every event of the outbox, for the queue and dashboard to refresh from. */
@Singleton
class ModerationEvents {

    private final EventStreams streams;

    ModerationEvents(EventStreams streams) {
        this.streams = streams;
    }

    /** Opens the stream for a moderator or admin (403 for anyone else), after {@code lastEventId} if given. */
    Publisher<Event<Object>> open(Actor actor, @Nullable Long lastEventId) {
        actor.require(Role.MODERATOR);
        return streams.open(StreamFilter.staff(), lastEventId);
    }
}

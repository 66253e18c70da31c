package dev.parley.events;

import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;

/**
 * Reads committed events in commit order, for any consumer that keeps its own position (the event
 * streams; a webhook dispatcher). Reading after the last id one has seen never skips an event, however
 * the writing transactions overlapped, for as long as the events are retained.
 */
@Singleton
public class OutboxReader {

    private final OutboxRepository repository;

    OutboxReader(OutboxRepository repository) {
        this.repository = repository;
    }

    /** Up to {@code limit} events of the given types with an id greater than {@code afterId}, oldest first. */
    @Connectable
    public List<OutboxEvent> after(long afterId, Set<EventType> types, int limit) {
        return repository.ofTypes(afterId, types.stream().map(EventType::wire).toArray(String[]::new), limit);
    }

    /** The id of the latest committed event; 0 when there is none. */
    @Connectable
    public long lastId() {
        return repository.lastId();
    }

    @Connectable
    List<OutboxEvent> all(long afterId, long upTo, int limit) {
        return repository.all(afterId, upTo, limit);
    }

    @Connectable
    List<OutboxEvent> publicOfThread(long threadId, long afterId, long upTo, int limit) {
        return repository.publicOfThread(threadId, afterId, upTo, limit);
    }
}

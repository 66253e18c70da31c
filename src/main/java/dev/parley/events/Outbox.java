package dev.parley.events;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Records domain events in the caller's transaction: an event exists exactly when its change committed. */
@Singleton
public class Outbox {

    private final OutboxRepository repository;
    private final Clock clock;

    Outbox(OutboxRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * Writes the event into the outbox within the caller's transaction (MANDATORY: an event written
     * outside one would be committed even when the change it describes is rolled back).
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void record(DomainEvent event) {
        repository.save(new OutboxEventRow(null, null, event.type(), event.audience(), event.threadId(),
                event.postId(), event.itemId(), event.detail(), clock.instant()));
    }
}

package dev.parley.events;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/**
 * The outbox. Reads see only committed rows, whose {@code id} is set (V19), so {@code id > :after}
 * never skips a row that commits later.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface OutboxRepository extends GenericRepository<OutboxEventRow, Long> {

    OutboxEventRow save(OutboxEventRow row);

    String COLUMNS = "SELECT id, type, audience, thread_id, post_id, item_id, detail, occurred_at AS at FROM outbox_events ";

    /** Every event after {@code after} up to {@code upTo}, oldest first. */
    @Query(COLUMNS + "WHERE id > :after AND id <= :upTo ORDER BY id LIMIT :limit")
    List<OutboxEvent> all(long after, long upTo, int limit);

    /** Events of the given types after {@code after}, oldest first. */
    @Query(COLUMNS + "WHERE id > :after AND type = ANY(:types) ORDER BY id LIMIT :limit")
    List<OutboxEvent> ofTypes(long after, String[] types, int limit);

    /** The public events of one thread after {@code after} up to {@code upTo}, oldest first. */
    @Query(COLUMNS + """
            WHERE audience = 'public' AND thread_id = :threadId AND id > :after AND id <= :upTo
            ORDER BY id LIMIT :limit""")
    List<OutboxEvent> publicOfThread(long threadId, long after, long upTo, int limit);

    /** The greatest committed id, 0 for an empty outbox. */
    @Query("SELECT coalesce(max(id), 0) FROM outbox_events")
    long lastId();

    /** Deletes up to {@code limit} events that happened before {@code before}; returns how many. */
    @Query("""
            DELETE FROM outbox_events WHERE row_id IN (
                SELECT row_id FROM outbox_events WHERE occurred_at < :before LIMIT :limit)""")
    int purge(Instant before, int limit);
}

package dev.parley.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One delivery per endpoint and event: the frozen message and where it stands. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface DeliveryRepository extends GenericRepository<DeliveryRepository.Row, Long> {

    @MappedEntity("webhook_deliveries")
    record Row(@Id @GeneratedValue @Nullable Long id, long endpointId, long eventId, String eventType,
               String messageId, String body,
               @TypeDef(type = DataType.STRING, converter = DeliveryState.Converter.class) DeliveryState state,
               int attempts, Instant createdAt) {
    }

    /**
     * Inserts the delivery of an event to an endpoint; no row when it exists already (the unique
     * (endpoint, event) pair makes a second reading of the same event a no-op).
     */
    @Query("""
            INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, message_id, body, state, created_at)
            VALUES (:endpointId, :eventId, :eventType, :messageId, :body, 'pending', :createdAt)
            ON CONFLICT (endpoint_id, event_id) DO NOTHING
            RETURNING *""")
    List<Row> insert(long endpointId, long eventId, String eventType, String messageId, String body,
                     Instant createdAt);

    Optional<Row> findById(long id);

    /** Locks a delivery while an attempt's outcome is recorded. */
    @Query("SELECT * FROM webhook_deliveries WHERE id = :id FOR UPDATE")
    Optional<Row> lock(long id);

    Row update(Row row);

    /** An endpoint's deliveries, newest first, before {@code beforeId}. */
    @Query("""
            SELECT * FROM webhook_deliveries WHERE endpoint_id = :endpointId AND id < :beforeId
            ORDER BY id DESC LIMIT :limit""")
    List<Row> findPage(long endpointId, long beforeId, int limit);

    /** Deletes up to {@code limit} finished deliveries created before {@code before} (their attempts go with them). */
    @Query("""
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE created_at < :before AND state <> 'pending' LIMIT :limit)""")
    int purge(Instant before, int limit);

    /** Fails the waiting deliveries of an endpoint that was disabled: no attempt will be made. */
    @Query("UPDATE webhook_deliveries SET state = 'failed' WHERE endpoint_id = :endpointId AND state = 'pending'")
    int failPending(long endpointId);
}

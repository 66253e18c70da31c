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

/** Registered endpoints, with their consumer cursor into the outbox and their run of failures. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface EndpointRepository extends GenericRepository<EndpointRepository.Row, Long> {

    @MappedEntity("webhook_endpoints")
    record Row(@Id @GeneratedValue @Nullable Long id, String url,
               @TypeDef(type = DataType.STRING_ARRAY) String[] eventTypes,
               String secret, boolean enabled, int consecutiveFailures, @Nullable String disabledReason,
               @Nullable Instant disabledAt, long lastEventId, Instant createdAt, Instant updatedAt) {

        Row withFailures(int failures) {
            return new Row(id, url, eventTypes, secret, enabled, failures, disabledReason, disabledAt, lastEventId,
                    createdAt, updatedAt);
        }

        Row retargeted(String newUrl, String[] newTypes, Instant now) {
            return new Row(id, newUrl, newTypes, secret, enabled, consecutiveFailures, disabledReason, disabledAt,
                    lastEventId, createdAt, now);
        }

        Row disabled(String reason, Instant now) {
            return new Row(id, url, eventTypes, secret, false, consecutiveFailures, reason, now, lastEventId,
                    createdAt, now);
        }

        /** Enabled again with a clean run of failures, delivering the events after {@code cursor}. */
        Row enabledFrom(long cursor) {
            return new Row(id, url, eventTypes, secret, true, 0, null, null, cursor, createdAt, updatedAt);
        }
    }

    Row save(Row row);

    Row update(Row row);

    Optional<Row> findById(long id);

    int deleteById(long id);

    /** A page of endpoints in registration order. */
    @Query("SELECT * FROM webhook_endpoints WHERE id > :afterId ORDER BY id LIMIT :limit")
    List<Row> findAfter(long afterId, int limit);

    /** The enabled endpoints: those whose cursor the fan-out moves. */
    @Query("SELECT id FROM webhook_endpoints WHERE enabled ORDER BY id")
    List<Long> enabledIds();

    /**
     * Locks an enabled endpoint for one fan-out round, or nothing when it is disabled or another
     * instance holds it (that instance is moving its cursor; this one need not wait).
     */
    @Query("SELECT * FROM webhook_endpoints WHERE id = :id AND enabled FOR UPDATE SKIP LOCKED")
    Optional<Row> lockEnabled(long id);

    /** Locks an endpoint to record an attempt's outcome on its run of failures. */
    @Query("SELECT * FROM webhook_endpoints WHERE id = :id FOR UPDATE")
    Optional<Row> lock(long id);

    @Query("UPDATE webhook_endpoints SET last_event_id = :lastEventId WHERE id = :id")
    void advance(long id, long lastEventId);
}

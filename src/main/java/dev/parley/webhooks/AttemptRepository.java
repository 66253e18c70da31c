package dev.parley.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/** The delivery log: one row per attempt. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AttemptRepository extends GenericRepository<AttemptRepository.Row, Long> {

    @MappedEntity("webhook_attempts")
    record Row(@Id @GeneratedValue @Nullable Long id, long deliveryId, int attempt, @Nullable Integer status,
               @Nullable Integer responseMs, @Nullable String error, Instant at) {
    }

    Row save(Row row);

    /** The attempts of some deliveries, oldest first. */
    @Query("SELECT * FROM webhook_attempts WHERE delivery_id = ANY(:deliveryIds) ORDER BY delivery_id, attempt")
    List<Row> findByDeliveries(Long[] deliveryIds);
}

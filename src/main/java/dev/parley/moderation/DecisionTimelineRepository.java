package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/**
 * Counts of decisions and resolutions per UTC hour or day, for {@link DecisionTimeline}. Each
 * query takes {@code unit} ('hour' or 'day', validated by the service), {@code from} (the first
 * bucket's start, inclusive) and {@code to} (the end of the last bucket, exclusive).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface DecisionTimelineRepository extends GenericRepository<DecisionRow, Long> {

    /** One count: the bucket's start, what was counted (an outcome, a harm category, an action) and how many. */
    @Introspected
    record Count(Instant bucket, String key, long count) {
    }

    /** Automated decisions by outcome. */
    @Query("""
            SELECT date_trunc(:unit, created_at, 'UTC') AS bucket, decision AS key, count(*) AS count
              FROM moderation_decisions
             WHERE created_at >= :from AND created_at < :to GROUP BY 1, 2""")
    List<Count> decisions(String unit, Instant from, Instant to);

    /** Automated decisions in which each harm category crossed a threshold. */
    @Query("""
            SELECT date_trunc(:unit, d.created_at, 'UTC') AS bucket, f ->> 'category' AS key, count(*) AS count
              FROM moderation_decisions d, jsonb_array_elements(d.fired) f
             WHERE d.created_at >= :from AND d.created_at < :to GROUP BY 1, 2""")
    List<Count> categories(String unit, Instant from, Instant to);

    /** Review items a moderator resolved, by action (superseded items were nobody's decision). */
    @Query("""
            SELECT date_trunc(:unit, resolved_at, 'UTC') AS bucket, resolution AS key, count(*) AS count
              FROM review_items
             WHERE state = 'resolved' AND resolved_by IS NOT NULL AND resolved_at >= :from AND resolved_at < :to
             GROUP BY 1, 2""")
    List<Count> resolutions(String unit, Instant from, Instant to);
}

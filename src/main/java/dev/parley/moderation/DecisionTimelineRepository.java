package dev.parley.moderation;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Counts of decisions and resolutions per UTC hour or day, for {@link DecisionTimeline}. */
@Singleton
class DecisionTimelineRepository {

    /** One count: the bucket's start, what was counted (an outcome, a harm category, an action) and how many. */
    record Count(Instant bucket, String key, long count) {
    }

    private final Sql sql;

    DecisionTimelineRepository(Sql sql) {
        this.sql = sql;
    }

    /** Automated decisions by outcome. */
    List<Count> decisions(String unit, Instant from, Instant to) {
        return sql.list("""
                SELECT date_trunc(?, created_at, 'UTC') AS bucket, decision, count(*) FROM moderation_decisions
                 WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2""",
                s -> bind(s, unit, from, to), DecisionTimelineRepository::count);
    }

    /** Automated decisions in which each harm category crossed a threshold. */
    List<Count> categories(String unit, Instant from, Instant to) {
        return sql.list("""
                SELECT date_trunc(?, d.created_at, 'UTC') AS bucket, f ->> 'category', count(*)
                  FROM moderation_decisions d, jsonb_array_elements(d.fired) f
                 WHERE d.created_at >= ? AND d.created_at < ? GROUP BY 1, 2""",
                s -> bind(s, unit, from, to), DecisionTimelineRepository::count);
    }

    /** Review items a moderator resolved, by action (superseded items were nobody's decision). */
    List<Count> resolutions(String unit, Instant from, Instant to) {
        return sql.list("""
                SELECT date_trunc(?, resolved_at, 'UTC') AS bucket, resolution, count(*) FROM review_items
                 WHERE state = 'resolved' AND resolved_by IS NOT NULL AND resolved_at >= ? AND resolved_at < ?
                 GROUP BY 1, 2""",
                s -> bind(s, unit, from, to), DecisionTimelineRepository::count);
    }

    private static void bind(PreparedStatement s, String unit, Instant from, Instant to) throws SQLException {
        s.setString(1, unit);                        // 'hour' or 'day', validated by the service
        s.setTimestamp(2, Rows.timestamp(from));     // first bucket's start, inclusive
        s.setTimestamp(3, Rows.timestamp(to));       // end of the last bucket, exclusive
    }

    private static Count count(java.sql.ResultSet r) throws SQLException {
        return new Count(Rows.instant(r, "bucket"), r.getString(2), r.getLong(3));
    }
}

package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/** The evidence {@link Calibration} weighs: moderators' resolutions beside the automated decisions they judged. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface CalibrationRepository extends GenericRepository<ReviewItemRow, Long> {

    /**
     * One piece of evidence about a harm category's threshold in a forum category; {@code verdict}
     * is approved, rejected or missed (as text, see {@link ReviewRepository.Item}).
     */
    @Introspected
    record Evidence(String harmCategory, String forumCategory, double score, String verdict) {
    }

    /**
     * The review items a moderator approved or rejected in [{@code from}, {@code to}), by resolution
     * time, joined to the automated decision of the same post version:
     * <ul>
     * <li>decided flagged: one row per harm category that reached its flag threshold in that
     *     decision, with its recorded score, verdict approved or rejected;</li>
     * <li>decided published (with the provider's verdict) and rejected by the moderator after a
     *     report: one row, verdict missed, for the harm category that scored highest.</li>
     * </ul>
     * Items closed as superseded were nobody's decision and count for nothing. A flag appealed while it
     * waited counts by the appeal's outcome (overturn: approved, uphold: rejected); appeals of decisions
     * already taken judge those decisions, not the flag threshold, and are left out.
     */
    @Query("""
            SELECT f ->> 'category' AS harm_category, r.forum_category, (f ->> 'score')::float8 AS score,
                   CASE WHEN r.resolution IN ('approve', 'overturn') THEN 'approved' ELSE 'rejected' END AS verdict
              FROM review_items r
              JOIN moderation_decisions d
                ON d.post_id = r.post_id AND d.subject = r.subject AND d.post_version = r.post_version
             CROSS JOIN LATERAL jsonb_array_elements(d.fired) f
             WHERE r.resolved_by IS NOT NULL
               AND (r.kind = 'review' AND r.resolution IN ('approve', 'reject')
                    -- a flag appealed while it waited: its item became the appeal, decided once
                    OR r.kind = 'appeal' AND r.resolution IN ('overturn', 'uphold') AND EXISTS (
                        SELECT 1 FROM appeals a
                         WHERE a.review_item_id = r.id AND a.original_item_id IS NULL
                           AND a.original_decision = 'flagged'))
               AND r.resolved_at >= :from AND r.resolved_at < :to
               AND d.decision = 'flagged' AND f ->> 'level' = 'flag'
            UNION ALL
            SELECT top.harm_category, r.forum_category, top.score, 'missed' AS verdict
              FROM review_items r
              JOIN moderation_decisions d
                ON d.post_id = r.post_id AND d.subject = r.subject AND d.post_version = r.post_version
             CROSS JOIN LATERAL (SELECT s.key AS harm_category, s.value::float8 AS score
                                   FROM jsonb_each_text(d.scores) s
                                  ORDER BY s.value::float8 DESC, s.key LIMIT 1) top
             WHERE r.resolved_by IS NOT NULL AND r.kind = 'review' AND r.resolution = 'reject'
               AND r.resolved_at >= :from AND r.resolved_at < :to
               AND d.decision = 'published' AND NOT d.unmoderated""")
    List<Evidence> evidence(Instant from, Instant to);
}

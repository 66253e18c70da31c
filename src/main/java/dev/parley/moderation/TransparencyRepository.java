package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * The restrictions the transparency export reports, page by page in (time, kind, id) order: the
 * automated decisions that flagged or rejected a post version, and the review items a moderator
 * resolved by rejecting the post. Each branch walks its own index from its own keyset, so a page
 * costs the same at the end of a long export as at its start.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface TransparencyRepository extends GenericRepository<DecisionRow, Long> {

    /**
     * Why a post was restricted: a threshold that fired (the decision's {@code fired}, or an automated
     * reason of the review item), a member's report ({@code source} "report"), or the provider being
     * unavailable. {@code level} (flag or reject) is known for a decision's thresholds only. The report's text is not read: it is a member's words, not the platform's reasons.
     */
    @Serdeable
    record Ground(String source, String category, @Nullable Double score, @Nullable Double threshold,
                  @Nullable String level) {
    }

    /**
     * One restriction.
     *
     * @param kind          automated or moderator (as text, see {@link ReviewRepository.Item})
     * @param decision      flagged or rejected
     * @param policyVersion the policy of the automated decision (of the same post version, for a moderator's)
     * @param liftedAt      for a flag: when a moderator approved the post version, ending the hold
     */
    @Introspected
    record Restriction(String kind, long id, Instant at, long postId, int postVersion, String decision,
                       @TypeDef(type = DataType.JSON) List<Ground> grounds, @Nullable Long policyVersion,
                       @Nullable Instant liftedAt) {
    }

    /**
     * The next {@code limit} restrictions after the keyset: automated decisions after
     * ({@code afterAutomatedAt}, {@code afterAutomatedId}) and moderators' rejections after
     * ({@code afterModeratorAt}, {@code afterModeratorId}), merged by time with automated first on a tie.
     */
    @Query("""
            SELECT * FROM (
              (SELECT 'automated' AS kind, d.id, d.created_at AS at, d.post_id, d.post_version, d.decision,
                      d.fired AS grounds, d.policy_version,
                      (SELECT min(a.resolved_at) FROM review_items a
                        WHERE a.post_id = d.post_id AND a.subject = d.subject AND a.post_version = d.post_version
                          AND a.resolved_by IS NOT NULL AND a.resolution IN ('approve', 'overturn')) AS lifted_at
                 FROM moderation_decisions d
                WHERE d.decision <> 'published' AND (d.created_at, d.id) > (:afterAutomatedAt, :afterAutomatedId)
                ORDER BY d.created_at, d.id LIMIT :limit)
              UNION ALL
              (SELECT 'moderator' AS kind, r.id, r.resolved_at AS at, r.post_id, r.post_version, 'rejected' AS decision,
                      r.reasons AS grounds, d.policy_version, NULL::timestamptz AS lifted_at
                 FROM review_items r
                 LEFT JOIN moderation_decisions d
                   ON d.post_id = r.post_id AND d.subject = r.subject AND d.post_version = r.post_version
                WHERE r.resolved_by IS NOT NULL AND r.resolution = 'reject'
                  AND (r.resolved_at, r.id) > (:afterModeratorAt, :afterModeratorId)
                ORDER BY r.resolved_at, r.id LIMIT :limit)
            ) restrictions
            ORDER BY at, kind, id LIMIT :limit""")
    List<Restriction> page(Instant afterAutomatedAt, long afterAutomatedId, Instant afterModeratorAt,
                           long afterModeratorId, int limit);
}

package dev.parley.moderation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The automated decisions, one per post version and one per title edit. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface DecisionRepository extends GenericRepository<DecisionRow, Long> {

    /** A post version. */
    @Introspected
    record PostVersion(long postId, int postVersion) {
    }

    /** Decisions with one outcome (as text: projections cannot run the enum's converter) and how many. */
    @Introspected
    record DecisionCount(String decision, long count) {
    }

    /** Decisions in which a harm category crossed a threshold, and how many. */
    @Introspected
    record CategoryCount(String category, long count) {
    }

    /** A post's latest recorded scores. */
    @Introspected
    record LatestScores(long postId, Map<String, Double> scores) {
    }

    /**
     * Records the decision for a post version or title edit. A version already decided keeps its decision, unless
     * that one was taken without the provider (unmoderated), which a rescan replaces. Returns 1 when
     * this decision was stored; when the earlier one stands Micronaut finds no generated id and throws,
     * so a rescan asks {@link #moderated} first.
     */
    @Query("""
            INSERT INTO moderation_decisions
                   (post_id, subject, post_version, provider, model, scores, policy_version, fired, decision,
                    unmoderated, created_at, rules)
            VALUES (:postId, :subject, :postVersion, :provider, :model, CAST(:scores AS jsonb), :policyVersion,
                    CAST(:fired AS jsonb), :decision, :unmoderated, :createdAt, CAST(:rules AS jsonb))
            ON CONFLICT (post_id, subject, post_version) DO UPDATE
               SET provider = EXCLUDED.provider, model = EXCLUDED.model, scores = EXCLUDED.scores,
                   policy_version = EXCLUDED.policy_version, fired = EXCLUDED.fired,
                   decision = EXCLUDED.decision, unmoderated = EXCLUDED.unmoderated, created_at = EXCLUDED.created_at,
                   rules = EXCLUDED.rules
             WHERE moderation_decisions.unmoderated""")
    int upsert(DecisionRow row);

    /**
     * Whether the version has a decision taken with the provider's verdict: a rescan then has nothing
     * to replace (it ran before, and this is its retry).
     */
    @Query("""
            SELECT EXISTS (SELECT 1 FROM moderation_decisions
                            WHERE post_id = :postId AND subject = :subject AND post_version = :postVersion
                              AND NOT unmoderated)""")
    boolean moderated(long postId, Subject subject, int postVersion);

    /** The latest decision of each post (on its text, not on title edits). */
    @Query("""
            SELECT DISTINCT ON (post_id) * FROM moderation_decisions WHERE post_id = ANY (:postIds) AND subject = 'post'
             ORDER BY post_id, post_version DESC""")
    List<DecisionRow> latest(Long[] postIds);

    /** The decision on title edit {@code version} of the thread that {@code postId} opens. */
    @Query("""
            SELECT * FROM moderation_decisions
             WHERE post_id = :postId AND subject = 'title' AND post_version = :version""")
    Optional<DecisionRow> title(long postId, int version);

    /**
     * Post versions published without the provider's verdict, oldest first, except those a moderator
     * has decided since: human decisions stand. (Title edits are never published unmoderated.)
     */
    @Query("""
            SELECT d.post_id, d.post_version FROM moderation_decisions d
             WHERE d.unmoderated AND d.subject = 'post'
               AND NOT EXISTS (SELECT 1 FROM review_items r
                                WHERE r.post_id = d.post_id AND r.subject = 'post' AND r.post_version = d.post_version
                                  AND r.resolved_by IS NOT NULL
                                  AND r.resolution IN ('approve', 'reject', 'uphold', 'overturn'))
             ORDER BY d.id LIMIT :limit""")
    List<PostVersion> unmoderated(int limit);

    /** Decisions since {@code since}, by outcome. */
    @Query("SELECT decision, count(*) AS count FROM moderation_decisions WHERE created_at >= :since GROUP BY decision")
    List<DecisionCount> countByDecision(Instant since);

    /** Decisions since {@code since} in which each harm category crossed a threshold, most often first. */
    @Query("""
            SELECT f ->> 'category' AS category, count(*) AS count
              FROM moderation_decisions d, jsonb_array_elements(d.fired) f
             WHERE d.created_at >= :since GROUP BY 1 ORDER BY 2 DESC""")
    List<CategoryCount> countByCategory(Instant since);

    /**
     * The latest decision's scores of each of the last {@code limit} posts decided, newest first. A
     * post edited and decided again counts once, with the scores of its current text; title edits are
     * left out. Walks the decisions backwards by id; the (post_id, subject, post_version) unique index
     * answers the "no newer version" test.
     */
    @Query("""
            SELECT d.post_id, d.scores FROM moderation_decisions d
             WHERE d.subject = 'post'
               AND NOT EXISTS (SELECT 1 FROM moderation_decisions n
                                WHERE n.post_id = d.post_id AND n.subject = 'post' AND n.post_version > d.post_version)
             ORDER BY d.id DESC LIMIT :limit""")
    List<LatestScores> latestScores(int limit);
}

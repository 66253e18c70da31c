package dev.parley.moderation;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Singleton
class DecisionRepository {

    /** A stored decision. */
    record Decision(long postId, int postVersion, String provider, String model, Map<String, Double> scores,
                    long policyVersion, List<Verdict.Fired> fired, String decision, boolean unmoderated) {
    }

    private final Sql sql;
    private final JsonMapper json;

    DecisionRepository(Sql sql, JsonMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /**
     * Records the decision for a post version. A version already decided keeps its decision, unless
     * that one was taken without the provider (unmoderated), which a rescan replaces. Returns
     * whether this decision was stored.
     */
    boolean save(Decision d, Instant now) {
        return sql.update("""
                INSERT INTO moderation_decisions
                       (post_id, post_version, provider, model, scores, policy_version, fired, decision, unmoderated, created_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?)
                ON CONFLICT (post_id, post_version) DO UPDATE
                   SET provider = EXCLUDED.provider, model = EXCLUDED.model, scores = EXCLUDED.scores,
                       policy_version = EXCLUDED.policy_version, fired = EXCLUDED.fired,
                       decision = EXCLUDED.decision, unmoderated = EXCLUDED.unmoderated, created_at = EXCLUDED.created_at
                 WHERE moderation_decisions.unmoderated""", s -> {
            s.setLong(1, d.postId());
            s.setInt(2, d.postVersion());
            s.setString(3, d.provider());
            s.setString(4, d.model());
            s.setString(5, write(d.scores()));
            s.setLong(6, d.policyVersion());
            s.setString(7, write(d.fired()));
            s.setString(8, d.decision());
            s.setBoolean(9, d.unmoderated());
            s.setTimestamp(10, Rows.timestamp(now));
        }) == 1;
    }

    /** The latest decision of each post. */
    Map<Long, Decision> latest(Collection<Long> postIds) {
        Map<Long, Decision> result = new HashMap<>();
        sql.list("""
                SELECT DISTINCT ON (post_id) post_id, post_version, provider, model, scores::text, policy_version,
                       fired::text, decision, unmoderated
                  FROM moderation_decisions WHERE post_id = ANY (?)
                 ORDER BY post_id, post_version DESC""",
                s -> s.setArray(1, s.getConnection().createArrayOf("bigint", postIds.toArray())),
                r -> new Decision(r.getLong("post_id"), r.getInt("post_version"), r.getString("provider"),
                        r.getString("model"), scores(r.getString("scores")), r.getLong("policy_version"),
                        fired(r.getString("fired")), r.getString("decision"), r.getBoolean("unmoderated")))
                .forEach(d -> result.put(d.postId(), d));
        return result;
    }

    /** Post versions published without the provider's verdict, oldest first. */
    List<long[]> unmoderated(int limit) {
        return sql.list("""
                SELECT post_id, post_version FROM moderation_decisions WHERE unmoderated ORDER BY id LIMIT ?""",
                s -> s.setInt(1, limit), r -> new long[]{r.getLong(1), r.getLong(2)});
    }

    /** Decisions since {@code since}, by outcome. */
    Map<String, Long> countByDecision(Instant since) {
        Map<String, Long> counts = new LinkedHashMap<>();
        sql.list("SELECT decision, count(*) FROM moderation_decisions WHERE created_at >= ? GROUP BY decision",
                s -> s.setTimestamp(1, Rows.timestamp(since)),
                r -> counts.put(r.getString(1), r.getLong(2)));
        return counts;
    }

    /** Decisions since {@code since} in which each harm category crossed a threshold. */
    Map<String, Long> countByCategory(Instant since) {
        Map<String, Long> counts = new LinkedHashMap<>();
        sql.list("""
                SELECT f ->> 'category', count(*) FROM moderation_decisions d, jsonb_array_elements(d.fired) f
                 WHERE d.created_at >= ? GROUP BY 1 ORDER BY 2 DESC""",
                s -> s.setTimestamp(1, Rows.timestamp(since)),
                r -> counts.put(r.getString(1), r.getLong(2)));
        return counts;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Double> scores(String text) {
        try {
            Map<String, Number> raw = json.readValue(text, Map.class);
            Map<String, Double> scores = new LinkedHashMap<>();
            raw.forEach((k, v) -> scores.put(k, v == null ? null : v.doubleValue()));
            return scores;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Verdict.Fired> fired(String text) {
        try {
            return List.of(json.readValue(text, Verdict.Fired[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

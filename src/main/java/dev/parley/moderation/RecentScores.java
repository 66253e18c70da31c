package dev.parley.moderation;

import dev.parley.common.Sql;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The recorded scores of the most recently decided posts, for {@link PolicyPreview}. */
@Singleton
class RecentScores {

    /** A post's latest recorded scores. */
    record Scored(long postId, HarmScores scores) {
    }

    private final Sql sql;
    private final JsonMapper json;

    RecentScores(Sql sql, JsonMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /**
     * The latest decision's scores of each of the last {@code limit} posts decided, newest first. A
     * post edited and decided again counts once, with the scores of its current text. Walks the
     * decisions backwards by id; the (post_id, post_version) unique index answers the "no newer
     * version" test.
     */
    List<Scored> last(int limit) {
        return sql.list("""
                SELECT d.post_id, d.scores::text FROM moderation_decisions d
                 WHERE NOT EXISTS (SELECT 1 FROM moderation_decisions n
                                    WHERE n.post_id = d.post_id AND n.post_version > d.post_version)
                 ORDER BY d.id DESC LIMIT ?""",
                s -> s.setInt(1, limit),    // how many posts
                r -> new Scored(r.getLong(1), new HarmScores(scores(r.getString(2)))));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Double> scores(String text) {
        try {
            Map<String, Number> raw = json.readValue(text, Map.class);
            Map<String, Double> scores = new LinkedHashMap<>();
            raw.forEach((category, score) -> {
                if (score != null) {
                    scores.put(category, score.doubleValue());
                }
            });
            return scores;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.parley.moderation;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Singleton
class ReviewRepository {

    /** A row of {@code review_items}, with the names of the staff involved. */
    record Item(long id, long postId, int postVersion, String forumCategory, String state, List<Reason> reasons,
                String claimedBy, Long claimedById, Instant createdAt, String resolution, String resolutionNote,
                String resolvedBy, Instant resolvedAt) {
    }

    private static final String SELECT = """
            SELECT r.id, r.post_id, r.post_version, r.forum_category, r.state, r.reasons::text, r.claimed_by,
                   c.username AS claimed_by_name, r.created_at, r.resolution, r.resolution_note,
                   v.username AS resolved_by_name, r.resolved_at
              FROM review_items r
              LEFT JOIN users c ON c.id = r.claimed_by
              LEFT JOIN users v ON v.id = r.resolved_by
            """;

    private final Sql sql;
    private final JsonMapper json;

    ReviewRepository(Sql sql, JsonMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /**
     * Opens an item for the post, or adds the reasons to its unresolved item: several flags and
     * reports of one post gather in one item. Returns the item id.
     */
    long openOrAdd(long postId, int postVersion, String forumCategory, List<Reason> reasons, Instant now) {
        return sql.one("""
                INSERT INTO review_items (post_id, post_version, forum_category, state, reasons, created_at)
                VALUES (?, ?, ?, 'open', ?::jsonb, ?)
                ON CONFLICT (post_id) WHERE state <> 'resolved' DO UPDATE
                   SET post_version = GREATEST(review_items.post_version, EXCLUDED.post_version),
                       reasons = review_items.reasons || EXCLUDED.reasons
                RETURNING id""", s -> {
            s.setLong(1, postId);
            s.setInt(2, postVersion);
            s.setString(3, forumCategory);
            s.setString(4, write(reasons));
            s.setTimestamp(5, Rows.timestamp(now));
        }, r -> r.getLong(1)).orElseThrow();
    }

    /** Closes the post's unresolved item, if any, because a newer verdict made it moot. */
    int supersede(long postId, Instant now) {
        return sql.update("""
                UPDATE review_items SET state = 'resolved', resolution = 'superseded', resolved_at = ?
                 WHERE post_id = ? AND state <> 'resolved'""", s -> {
            s.setTimestamp(1, Rows.timestamp(now));
            s.setLong(2, postId);
        });
    }

    Optional<Item> find(long id) {
        return sql.one(SELECT + " WHERE r.id = ?", s -> s.setLong(1, id), this::map);
    }

    /** Locks the item row for the rest of the transaction: claims and resolutions serialise on it. */
    Optional<Item> findForUpdate(long id) {
        return sql.one(SELECT + " WHERE r.id = ? FOR UPDATE OF r", s -> s.setLong(1, id), this::map);
    }

    /**
     * A page of items in a state, oldest first, optionally of one forum category and with a reason
     * whose source or harm category is {@code reason}.
     */
    List<Item> list(String state, String forumCategory, String reason, long afterId, int fetch) {
        return sql.list(SELECT + """
                 WHERE r.state = ? AND r.id > ? AND (?::text IS NULL OR r.forum_category = ?)
                   AND (?::text IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(r.reasons) x
                                                    WHERE x ->> 'source' = ? OR x ->> 'category' = ?))
                 ORDER BY r.id LIMIT ?""", s -> {
            s.setString(1, state);
            s.setLong(2, afterId);          // cursor: last id seen
            s.setString(3, forumCategory);  // forum category filter, or null
            s.setString(4, forumCategory);
            s.setString(5, reason);         // reason filter (source or harm category), or null
            s.setString(6, reason);
            s.setString(7, reason);
            s.setInt(8, fetch);
        }, this::map);
    }

    void claim(long id, long userId, Instant now) {
        sql.update("UPDATE review_items SET state = 'claimed', claimed_by = ?, claimed_at = ? WHERE id = ?", s -> {
            s.setLong(1, userId);
            s.setTimestamp(2, Rows.timestamp(now));
            s.setLong(3, id);
        });
    }

    void release(long id) {
        sql.update("UPDATE review_items SET state = 'open', claimed_by = NULL, claimed_at = NULL WHERE id = ?",
                s -> s.setLong(1, id));
    }

    void resolve(long id, long userId, String action, String note, Instant now) {
        sql.update("""
                UPDATE review_items SET state = 'resolved', resolution = ?, resolution_note = ?, resolved_by = ?,
                       resolved_at = ? WHERE id = ?""", s -> {
            s.setString(1, action);
            s.setString(2, note);
            s.setLong(3, userId);
            s.setTimestamp(4, Rows.timestamp(now));
            s.setLong(5, id);
        });
    }

    boolean alreadyReported(long postId, long reporterId) {
        return sql.one("""
                SELECT 1 FROM post_reports p JOIN review_items r ON r.id = p.review_item_id
                 WHERE p.post_id = ? AND p.reporter_id = ? AND r.state <> 'resolved'""", s -> {
            s.setLong(1, postId);
            s.setLong(2, reporterId);
        }, r -> true).isPresent();
    }

    /** Records a user's report on an item; false when this user already reported it. */
    boolean addReport(long itemId, long postId, long reporterId, String reason, Instant now) {
        return sql.update("""
                INSERT INTO post_reports (post_id, reporter_id, review_item_id, reason, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (review_item_id, reporter_id) DO NOTHING""", s -> {
            s.setLong(1, postId);
            s.setLong(2, reporterId);
            s.setLong(3, itemId);
            s.setString(4, reason);
            s.setTimestamp(5, Rows.timestamp(now));
        }) == 1;
    }

    /** Human resolutions since {@code since}, by action. */
    List<Object[]> countResolutions(Instant since) {
        return sql.list("""
                SELECT resolution, count(*) FROM review_items
                 WHERE state = 'resolved' AND resolved_by IS NOT NULL AND resolved_at >= ? GROUP BY resolution""",
                s -> s.setTimestamp(1, Rows.timestamp(since)), r -> new Object[]{r.getString(1), r.getLong(2)});
    }

    private Item map(ResultSet r) throws SQLException {
        return new Item(r.getLong("id"), r.getLong("post_id"), r.getInt("post_version"), r.getString("forum_category"),
                r.getString("state"), reasons(r.getString("reasons")), r.getString("claimed_by_name"),
                (Long) r.getObject("claimed_by"), Rows.instant(r, "created_at"), r.getString("resolution"),
                r.getString("resolution_note"), r.getString("resolved_by_name"), Rows.instant(r, "resolved_at"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Reason> reasons(String text) {
        try {
            return List.of(json.readValue(text, Reason[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

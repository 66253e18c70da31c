package dev.parley.forum;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;

@Singleton
class VoteRepository {

    private final Sql sql;

    VoteRepository(Sql sql) {
        this.sql = sql;
    }

    Optional<Integer> find(long postId, long userId) {
        return sql.one("SELECT value FROM votes WHERE post_id = ? AND user_id = ?", s -> {
            s.setLong(1, postId);
            s.setLong(2, userId);
        }, r -> r.getInt(1));
    }

    void upsert(long postId, long userId, int value, Instant now) {
        sql.update("""
                INSERT INTO votes (post_id, user_id, value, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (post_id, user_id) DO UPDATE SET value = EXCLUDED.value""", s -> {
            s.setLong(1, postId);
            s.setLong(2, userId);
            s.setInt(3, value);
            s.setTimestamp(4, Rows.timestamp(now));
        });
    }

    void delete(long postId, long userId) {
        sql.update("DELETE FROM votes WHERE post_id = ? AND user_id = ?", s -> {
            s.setLong(1, postId);
            s.setLong(2, userId);
        });
    }
}

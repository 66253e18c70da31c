package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.common.Cursor;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.common.Rows;
import dev.parley.common.Sql;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The append-only moderation audit: every automated and human action, written in the action's transaction. */
@Singleton
class AuditLog {

    static final String SYSTEM = "system";

    @Serdeable
    record Entry(long id, Instant at, String actor, String action, Long postId, Map<String, Object> detail) {
    }

    private final Sql sql;
    private final JsonMapper json;
    private final Clock clock;

    AuditLog(Sql sql, JsonMapper json, Clock clock) {
        this.sql = sql;
        this.json = json;
        this.clock = clock;
    }

    /** Records an action; {@code actor} null means the automated moderation. */
    void record(Actor actor, String action, Long postId, Map<String, ?> detail) {
        sql.update("INSERT INTO moderation_audit (at, actor_id, actor, action, post_id, detail) VALUES (?, ?, ?, ?, ?, ?::jsonb)",
                s -> {
                    s.setTimestamp(1, Rows.timestamp(clock.instant()));
                    s.setObject(2, actor == null ? null : actor.id());
                    s.setString(3, actor == null ? SYSTEM : actor.username());
                    s.setString(4, action);
                    s.setObject(5, postId);
                    s.setString(6, write(detail));
                });
    }

    /** Newest first, optionally only for one post and/or one actor ("system" for the automation). */
    Page<Entry> list(Long postId, String actor, PageRequest page) {
        long before = page.cursor() == null ? Long.MAX_VALUE : Cursor.decode(page.cursor(), 1).longAt(0);
        List<Entry> rows = sql.list("""
                SELECT id, at, actor, action, post_id, detail::text FROM moderation_audit
                 WHERE id < ? AND (?::bigint IS NULL OR post_id = ?) AND (?::text IS NULL OR actor = ?)
                 ORDER BY id DESC LIMIT ?""", s -> {
            s.setLong(1, before);            // cursor: last id seen
            s.setObject(2, postId);          // post filter, or null
            s.setObject(3, postId);
            s.setString(4, actor);           // actor filter, or null
            s.setString(5, actor);
            s.setInt(6, page.fetchSize());
        }, r -> new Entry(r.getLong("id"), Rows.instant(r, "at"), r.getString("actor"), r.getString("action"),
                (Long) r.getObject("post_id"), read(r.getString("detail"))));
        return Page.of(rows, page.limit(), e -> Cursor.of(e.id()));
    }

    private String write(Map<String, ?> detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String detail) {
        try {
            return json.readValue(detail, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

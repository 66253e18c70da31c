package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.common.Cursor;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The append-only moderation audit: every automated and human action, written in the action's transaction. */
@Singleton
class AuditLog {

    static final String SYSTEM = "system";

    @Serdeable
    record Entry(long id, Instant at, String actor, String action, Long postId, Map<String, Object> detail) {
    }

    private final AuditRepository entries;
    private final Clock clock;

    AuditLog(AuditRepository entries, Clock clock) {
        this.entries = entries;
        this.clock = clock;
    }

    /** Records an action; {@code actor} null means the automated moderation. */
    void record(Actor actor, String action, Long postId, Map<String, ?> detail) {
        entries.save(new AuditEntryRow(null, clock.instant(), actor == null ? null : actor.id(),
                actor == null ? SYSTEM : actor.username(), action, postId, new LinkedHashMap<>(detail)));
    }

    /** An automated action not yet written: see {@link #recordAll}. */
    record Automated(String action, long postId, Map<String, ?> detail) {
    }

    /** Records automated actions (a claimed batch's decisions) with one round trip. */
    void recordAll(List<Automated> actions) {
        if (actions.isEmpty()) {
            return;
        }
        Instant at = clock.instant();
        entries.saveAll(actions.stream().map(a -> new AuditEntryRow(null, at, null, SYSTEM, a.action(), a.postId(),
                new LinkedHashMap<String, Object>(a.detail()))).toList());
    }

    /** Newest first, optionally only for one post and/or one actor ("system" for the automation). */
    Page<Entry> list(Long postId, String actor, PageRequest page) {
        long before = page.cursor() == null ? Long.MAX_VALUE : Cursor.decode(page.cursor(), 1).longAt(0);
        List<Entry> rows = entries.page(postId, actor, before, page.fetchSize()).stream()
                .map(e -> new Entry(e.id(), e.at(), e.actor(), e.action(), e.postId(), e.detail())).toList();
        return Page.of(rows, page.limit(), e -> Cursor.of(e.id()));
    }
}

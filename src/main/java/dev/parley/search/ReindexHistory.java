package dev.parley.search;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.Cursor;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.common.Sql;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** Past and current reindex runs, newest first (admin): the console shows the running one with its progress. */
@Singleton
class ReindexHistory {

    private final Sql sql;
    private final Clock clock;

    ReindexHistory(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    Page<ReindexRun> list(Actor actor, PageRequest page) {
        actor.require(Role.ADMIN);
        long beforeId = page.cursor() == null ? Long.MAX_VALUE : Cursor.decode(page.cursor(), 1).longAt(0);
        Instant now = clock.instant();
        return Page.of(sql.list("SELECT " + ReindexRepository.COLUMNS
                        + " FROM reindex_runs WHERE id < ? ORDER BY id DESC LIMIT ?", s -> {
                    s.setLong(1, beforeId);           // cursor: the last id seen
                    s.setInt(2, page.fetchSize());
                }, ReindexRepository::map), page.limit(), row -> Cursor.of(row.id()))
                .map(row -> ReindexRun.of(row, now));
    }
}

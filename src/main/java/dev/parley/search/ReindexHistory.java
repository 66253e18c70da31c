package dev.parley.search;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.Cursor;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** Past and current reindex runs, newest first (admin): the console shows the running one with its progress. */
@Singleton
class ReindexHistory {

    private final ReindexRepository runs;
    private final Clock clock;

    ReindexHistory(ReindexRepository runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    Page<ReindexRun> list(Actor actor, PageRequest page) {
        actor.require(Role.ADMIN);
        long beforeId = page.cursor() == null ? Long.MAX_VALUE : Cursor.decode(page.cursor(), 1).longAt(0);
        Instant now = clock.instant();
        return Page.of(runs.findBefore(beforeId, page.fetchSize()), page.limit(), row -> Cursor.of(row.id()))
                .map(row -> ReindexRun.of(row, now));
    }
}

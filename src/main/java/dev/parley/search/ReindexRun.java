package dev.parley.search;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Duration;
import java.time.Instant;

/** A reindex run as API.md shows it; rate and ETA are derived from its progress. */
@Serdeable
record ReindexRun(long id, String model, String scope, String state, int total, int done, int failed,
                  double perSecond, Long etaSeconds, Instant startedAt, Instant finishedAt) {

    static ReindexRun of(ReindexRepository.Row row, Instant now) {
        Instant end = row.finishedAt() != null ? row.finishedAt() : now;
        double seconds = Math.max(0.001, Duration.between(row.startedAt(), end).toMillis() / 1000.0);
        double rate = (row.done() + row.failed()) / seconds;
        int left = Math.max(0, row.total() - row.done() - row.failed());
        Long eta = row.state() != ReindexState.RUNNING ? null : rate > 0 ? (long) Math.ceil(left / rate) : null;
        return new ReindexRun(row.id(), row.model(), row.scope().wire(), row.state().wire(), row.total(), row.done(), row.failed(),
                Math.round(rate * 10) / 10.0, eta, row.startedAt(), row.finishedAt());
    }
}

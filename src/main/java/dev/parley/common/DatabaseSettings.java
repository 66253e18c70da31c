package dev.parley.common;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Timeouts on every connection the service opens to PostgreSQL ({@code parley.database.*}): each
 * pooled data source (the primary, a replica), the job dispatcher's LISTEN connection and the
 * unpooled connections of index builds. A database that hangs (a stalled network, a lock held by a
 * stuck session) then costs a request a bounded wait and a 503, never a hung thread.
 *
 * @param statementTimeout  the server cancels a statement running longer (PostgreSQL's
 *                          {@code statement_timeout}): a lock held by a stuck session ends here
 * @param networkTimeout    the driver gives up on a connection that has sent nothing for this long
 *                          (pgjdbc's {@code socketTimeout}): a silent network ends here. Longer than
 *                          {@code statementTimeout}, so a slow statement is cancelled by the server
 *                          first and its connection survives
 * @param connectTimeout    opening a connection, TCP and PostgreSQL's start-up together (pgjdbc's
 *                          {@code connectTimeout} and {@code loginTimeout})
 * @param validationTimeout the pool's check of an idle connection before lending it (Hikari's
 *                          {@code validationTimeout})
 * @param maintenanceTimeout network timeout of long maintenance statements on their own connection
 *                          (building a vector index), which run without a statement timeout
 * @param circuitBreaker    whether connection failures open the breaker, which makes the pool fail at
 *                          once while the database is known to be unreachable ({@link DatabaseBreaker})
 * @param probeInterval     while the breaker is open, how often a fresh connection checks whether the
 *                          database answers again
 * @param probeTimeout      how long a probe (connect, {@code SELECT 1}) may take before it counts as failed
 */
@ConfigurationProperties("parley.database")
public record DatabaseSettings(@Bindable(defaultValue = "8s") Duration statementTimeout,
                               @Bindable(defaultValue = "10s") Duration networkTimeout,
                               @Bindable(defaultValue = "5s") Duration connectTimeout,
                               @Bindable(defaultValue = "2s") Duration validationTimeout,
                               @Bindable(defaultValue = "1h") Duration maintenanceTimeout,
                               @Bindable(defaultValue = "true") boolean circuitBreaker,
                               @Bindable(defaultValue = "2s") Duration probeInterval,
                               @Bindable(defaultValue = "5s") Duration probeTimeout) {

    /** Seconds for pgjdbc's second-granular timeouts, rounded up and at least 1 (0 would mean none). */
    static int seconds(Duration duration) {
        long millis = duration.toMillis();
        return (int) Math.max(1, (millis + 999) / 1000);
    }
}

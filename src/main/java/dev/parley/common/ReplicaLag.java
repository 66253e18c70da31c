package dev.parley.common;

import io.micronaut.context.BeanContext;
import io.micronaut.context.env.Environment;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Measures how far the read replica is behind the primary, every {@code check-interval}: the primary's
 * WAL position against the replica's replayed one, in bytes, and in time as how long ago the primary
 * was where the replica is now (from the primary's positions of earlier checks, so no clocks of the
 * two servers are compared and an idle primary does not look like lag). Each instance measures for
 * itself; the result decides where reads go ({@link ReplicaRouting}) and shows in {@code /health} and
 * Prometheus.
 */
@Singleton
public final class ReplicaLag {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLag.class);
    /** Earlier primary positions kept for the time lag: beyond that, the lag is "at least this old". */
    private static final int SAMPLES = 3_600;
    private static final String PRIMARY_POSITION = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint";
    private static final String REPLICA_POSITION =
            "SELECT pg_is_in_recovery(), (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint";

    private record Sample(Instant at, long position) {
    }

    private final BeanContext context;
    private final ReplicaSettings settings;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private volatile ReplicaState state;

    ReplicaLag(BeanContext context, Environment environment, ReplicaSettings settings, Clock clock) {
        this.context = context;
        this.settings = settings;
        this.clock = clock;
        this.state = ReplicaRouting.configured(environment) ? ReplicaState.UNKNOWN : ReplicaState.NONE;
    }

    /** The last check's findings. */
    public ReplicaState state() {
        return state;
    }

    /** Checks the replica now: what the schedule runs, and what tests call to drive it by hand. */
    @Scheduled(fixedDelay = "${parley.database.replica.check-interval:1s}")
    public synchronized ReplicaState check() {
        if (state.status() == ReplicaState.Status.NONE) {
            return state;
        }
        Instant now = clock.instant();
        long primary;
        try {
            primary = position(ReplicaRouting.pool(context, "default"), PRIMARY_POSITION, false);
        } catch (SQLException | RuntimeException e) {
            // The primary's own breaker and health report that; the replica's state stays as it was.
            LOG.warn("Replica lag check: the primary's WAL position is unknown: {}", e.toString());
            return state;
        }
        long replayed;
        try {
            replayed = position(ReplicaRouting.pool(context, ReplicaRouting.NAME), REPLICA_POSITION, true);
        } catch (NotAStandby e) {
            return update(ReplicaState.down(now, "not a standby (pg_is_in_recovery() is false)"));
        } catch (SQLException | RuntimeException e) {
            return update(ReplicaState.down(now, "unreachable: " + e.getMessage()));
        }
        samples.addLast(new Sample(now, primary));
        while (samples.size() > SAMPLES) {
            samples.removeFirst();
        }
        while (!samples.isEmpty() && samples.peekFirst().position() <= replayed) {
            samples.removeFirst();
        }
        Duration lag = samples.isEmpty() ? Duration.ZERO : Duration.between(samples.peekFirst().at(), now);
        long bytes = Math.max(0, primary - replayed);
        boolean lagging = lag.compareTo(settings.maxLag()) > 0;
        return update(new ReplicaState(lagging ? ReplicaState.Status.LAGGING : ReplicaState.Status.UP,
                new WalPosition(replayed), bytes, lag, now,
                lagging ? "behind by " + lag.toMillis() + " ms, more than max-lag" : null));
    }

    /** A replica connection failed before a check noticed: reads stay off it until a check finds it back. */
    void failed(Exception failure) {
        update(ReplicaState.down(clock.instant(), "unreachable: " + failure.getMessage()));
    }

    /** Not synchronized with {@link #check()}: a request that lost the replica must not wait for a check. */
    private ReplicaState update(ReplicaState next) {
        if (next.status() != state.status()) {
            if (next.status() == ReplicaState.Status.UP) {
                LOG.info("Read replica serves reads again");
            } else {
                LOG.warn("Read replica serves no reads: {}", next.problem());
            }
        }
        state = next;
        return next;
    }

    private static long position(DataSource source, String sql, boolean standby) throws SQLException {
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            if (standby && !row.getBoolean(1)) {
                throw new NotAStandby();
            }
            return row.getLong(standby ? 2 : 1);
        }
    }

    private static final class NotAStandby extends SQLException {
    }
}

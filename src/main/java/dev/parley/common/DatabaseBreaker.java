package dev.parley.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A circuit breaker in front of one data source's pool. Closed, connections are lent as usual; a
 * connection failure (the pool timed out, a statement lost its connection) makes it probe the database
 * with a fresh connection of its own, outside the pool, so that a pool that is merely busy is not taken
 * for a lost database. A failed probe opens the breaker: the pool then refuses every request for a
 * connection at once (the request answers 503 in milliseconds instead of waiting out the pool's
 * connection timeout) while a probe runs every {@code probe-interval} in the background (the half-open
 * state); the first probe that gets an answer closes it again and retires the pool's idle connections,
 * which may be dead. Only a reachable-or-not question: a failed statement of a reachable database
 * (a statement timeout, a constraint) never opens it.
 */
public final class DatabaseBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBreaker.class);

    /** Opens a connection that gives up within the probe timeout. */
    @FunctionalInterface
    interface ProbeConnections {
        Connection open() throws SQLException;
    }

    private final String name;
    private final DatabaseSettings settings;
    private final ProbeConnections probes;
    private final Runnable afterRecovery;
    private final ScheduledExecutorService prober;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean open;
    private volatile long lastProbeNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    DatabaseBreaker(String name, DatabaseSettings settings, ProbeConnections probes, Runnable afterRecovery) {
        this.name = name;
        this.settings = settings;
        this.probes = probes;
        this.afterRecovery = afterRecovery;
        this.prober = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-db-probe-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The data source's name ("default" for the primary). */
    public String name() {
        return name;
    }

    /** Whether connections are being refused because the database did not answer the last probe. */
    public boolean isOpen() {
        return open;
    }

    /** Fails at once while the breaker is open; what the pool's callers hit before asking the pool. */
    void check() throws SQLTransientConnectionException {
        if (open) {
            // SQLSTATE 08001 (cannot connect): read by DatabaseFailures as "unreachable", so a 503.
            throw new SQLTransientConnectionException("database " + name
                    + " did not answer the last probe: refusing connections until it does", "08001");
        }
    }

    /**
     * Tells the breaker about a failure on its data source. One that says the database cannot be
     * reached starts a probe, unless one is running or the last ended less than a probe interval ago.
     */
    void observe(Throwable failure) {
        if (!settings.circuitBreaker() || open || !DatabaseFailures.isUnavailable(failure)) {
            return;
        }
        if (System.nanoTime() - lastProbeNanos < settings.probeInterval().toNanos()) {
            return;
        }
        if (probing.compareAndSet(false, true)) {
            prober.execute(this::probe);
        }
    }

    /** One probe; while the database does not answer, the breaker stays open and the next probe is scheduled. */
    private void probe() {
        SQLException failure = answers();
        lastProbeNanos = System.nanoTime();
        if (failure == null) {
            probing.set(false);
            if (open) {
                open = false;
                LOG.info("Database {} answers again: connections are lent again", name);
                afterRecovery.run();
            }
            return;
        }
        if (!open) {
            open = true;
            LOG.warn("Database {} does not answer ({}): refusing connections at once, probing every {} ms", name,
                    failure.getMessage(), settings.probeInterval().toMillis());
        }
        prober.schedule(this::probe, settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Null when the database answered (an error it sent counts as an answer), else why not. */
    private SQLException answers() {
        try (Connection connection = probes.open(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return DatabaseFailures.isUnavailable(e) ? e : null;
        } catch (RuntimeException e) {
            return new SQLException("probe failed", "08000", e);
        }
    }

    void close() {
        prober.shutdownNow();
    }
}

package dev.parley.common;

import io.micronaut.context.BeanContext;
import io.micronaut.context.env.Environment;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.jdbc.DataSourceResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Where a public read runs: on the read replica ({@code datasources.replica}) when it is up, within
 * {@code max-lag} and past the reader's last write, else on the primary. Everything else (writes,
 * the pipeline, moderation, auth, admin) always runs on the primary.
 * <p>
 * Micronaut Data offers per-data-source repositories ({@code @Repository("replica")}); routing the one
 * {@code default} data source instead keeps a single set of repositories and statements for both
 * servers: a {@link #read} marks the thread, and the default data source's next connections come from
 * the replica ({@link RoutedDataSources}). A replica connection that cannot be had falls back to the
 * primary on the spot, so a lost replica costs no request an error.
 */
@Singleton
public class ReplicaRouting {

    /** The name of the replica's data source: {@code datasources.replica.*}. */
    public static final String NAME = "replica";

    /** Set while a read that goes to the replica runs on this thread. */
    private static final ThreadLocal<Boolean> ON_REPLICA = new ThreadLocal<>();

    private final BeanContext context;
    private final ReplicaLag lag;
    private final DatabaseBreakers breakers;
    private final boolean configured;
    private final Counter toReplica;
    private final Counter toPrimary;

    ReplicaRouting(BeanContext context, Environment environment, ReplicaLag lag, DatabaseBreakers breakers,
                   MeterRegistry meters) {
        this.context = context;
        this.lag = lag;
        this.breakers = breakers;
        this.configured = configured(environment);
        this.toReplica = Counter.builder("parley.database.reads").tag("target", "replica")
                .description("Public reads by the server they ran on").register(meters);
        this.toPrimary = Counter.builder("parley.database.reads").tag("target", "primary")
                .description("Public reads by the server they ran on").register(meters);
    }

    /** The property whose presence configures a replica (env {@code DATASOURCES_REPLICA_URL}). */
    public static final String URL_PROPERTY = "datasources." + NAME + ".url";

    /** Whether a replica data source is configured at all. */
    static boolean configured(Environment environment) {
        return environment.containsProperty(URL_PROPERTY);
    }

    public boolean configured() {
        return configured;
    }

    /**
     * Runs {@code read} with its connections on the replica if the replica may serve a reader whose last
     * write ended at {@code lastWrite} ({@link WalPosition#START} for anonymous readers), else on the primary.
     */
    public <T> T read(WalPosition lastWrite, Supplier<T> read) {
        if (!replicaServes(lastWrite)) {
            if (configured) {
                toPrimary.increment();
            }
            return read.get();
        }
        Boolean outer = ON_REPLICA.get();
        ON_REPLICA.set(Boolean.TRUE);
        try {
            toReplica.increment();
            return read.get();
        } catch (RuntimeException e) {
            boolean lost = DatabaseFailures.isUnavailable(e);
            if (outer != null || !(lost || isRecoveryConflict(e))) {
                throw e;
            }
            // The replica went away under a lent connection, or its replay cancelled the statement (a
            // hot standby's recovery conflict): a read has no effect, so the primary runs it again.
            if (lost) {
                lag.failed(e);
            }
            ON_REPLICA.remove();
            toPrimary.increment();
            return read.get();
        } finally {
            if (outer == null) {
                ON_REPLICA.remove();
            } else {
                ON_REPLICA.set(outer);
            }
        }
    }

    /**
     * Whether the replica may serve this reader now: checked up and within the lag, its breaker closed,
     * and replayed past the reader's last write as of the last check (a reader who wrote since reads
     * from the primary until the next check sees the replica past it).
     */
    boolean replicaServes(WalPosition lastWrite) {
        if (!configured) {
            return false;
        }
        ReplicaState state = lag.state();
        return state.status() == ReplicaState.Status.UP && !breakers.of(NAME).isOpen()
                && state.replayed().covers(lastWrite);
    }

    /**
     * Whether a standby cancelled the statement for its replay (SQLSTATE 40001, "conflict with
     * recovery"): on a read-only replica no transaction can fail serialization otherwise.
     */
    private static boolean isRecoveryConflict(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && "40001".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pool of data source {@code name} itself (behind its breaker), not the bean Micronaut Data
     * hands out, which lends only the connection of the current {@code @Connectable} or transaction.
     */
    static DataSource pool(BeanContext context, String name) {
        return context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class, Qualifiers.byName(name)));
    }

    /** Whether a read routed to the replica runs on this thread. */
    static boolean routedHere() {
        return ON_REPLICA.get() != null;
    }

    /** A replica connection for a read routed there, or null (then the primary serves it). */
    Connection replicaConnection() {
        try {
            return pool(context, NAME).getConnection();
        } catch (SQLException e) {
            lag.failed(e);
            return null;
        }
    }
}

package dev.parley.common;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link DatabaseBreaker} per data source (the primary, a replica), placed in front of its pool:
 * every data source bean is wrapped so that asking for a connection while the breaker is open fails at
 * once, and a failed request for a connection is reported to the breaker. Failures of statements on
 * lent connections reach it through the pool ({@link DatabaseTimeouts}).
 */
@Singleton
public final class DatabaseBreakers implements BeanCreatedEventListener<DataSource>, Ordered {

    private final DatabaseSettings settings;
    private final DatabaseConnections connections;
    private final Map<String, DatabaseBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, HikariPoolMXBean> pools = new ConcurrentHashMap<>();

    DatabaseBreakers(DatabaseSettings settings, DatabaseConnections connections) {
        this.settings = settings;
        this.connections = connections;
    }

    /** The breaker of data source {@code name} ("default" for the primary). */
    public DatabaseBreaker of(String name) {
        return breakers.computeIfAbsent(name, n -> new DatabaseBreaker(n, settings,
                () -> connections.openProbe(n, settings.probeTimeout()), () -> retireIdleConnections(n)));
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        DataSource pool = event.getBean();
        DatabaseBreaker breaker = null;
        try {
            if (pool.isWrapperFor(HikariDataSource.class)) {
                HikariDataSource hikari = pool.unwrap(HikariDataSource.class);
                // The pool carries the hook DatabaseTimeouts gave its configuration: the same breaker.
                if (hikari.getExceptionOverride() instanceof DatabaseTimeouts.BreakerFeed feed) {
                    breaker = feed.breaker();
                    HikariPoolMXBean mx = hikari.getHikariPoolMXBean();
                    if (mx != null) {
                        pools.put(breaker.name(), mx);
                    }
                }
            }
        } catch (SQLException e) {
            // Not a Hikari pool: nothing to retire on recovery.
        }
        return new Guarded(pool, breaker != null ? breaker : of(event.getBeanIdentifier().getName()));
    }

    /** After the pool's breaker. PgvectorTypes wraps first; which of the two is outside does not matter. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1;
    }

    /** Connections idle through an outage may be dead: the pool replaces them rather than validate each on loan. */
    private void retireIdleConnections(String name) {
        HikariPoolMXBean pool = pools.get(name);
        if (pool != null) {
            pool.softEvictConnections();
        }
    }

    @PreDestroy
    void close() {
        breakers.values().forEach(DatabaseBreaker::close);
    }

    /** A data source that consults its breaker before its pool. */
    private static final class Guarded extends ForwardingDataSource {

        private final DatabaseBreaker breaker;

        Guarded(DataSource pool, DatabaseBreaker breaker) {
            super(pool);
            this.breaker = breaker;
        }

        @Override
        public Connection getConnection() throws SQLException {
            breaker.check();
            try {
                return pool.getConnection();
            } catch (SQLException | RuntimeException e) {
                breaker.observe(e);
                throw e;
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            breaker.check();
            try {
                return pool.getConnection(username, password);
            } catch (SQLException | RuntimeException e) {
                breaker.observe(e);
                throw e;
            }
        }
    }
}

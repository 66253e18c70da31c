package dev.parley.common;

import com.pgvector.PGvector;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Registers pgvector's types (vector, halfvec, sparsevec) on every physical connection behind every
 * data source, so vector columns read back as {@link PGvector} and never as text, and the
 * {@code vector[]} parameter type ({@link VectorArray}) for sending in binary. Hikari has no
 * per-connection hook, so the pool itself is wrapped. Highest precedence: the wrap happens before
 * Flyway and the transaction manager see the data source, so they all hand out registered
 * connections. A registration lives as long as the driver's connection, so each physical connection
 * is registered at its first checkout only: registering on every checkout (three unwraps and three
 * synchronised type-cache updates) showed in search profiles; registering {@code vector[]} at every
 * reindex batch was the same cost again.
 */
@Singleton
final class PgvectorTypes implements BeanCreatedEventListener<DataSource>, Ordered {

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return new Registering(event.getBean());
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    /** Registers the vector types on each physical connection the pool lends for the first time. */
    private static final class Registering extends ForwardingDataSource {

        /** The driver connections registered so far; weak, so connections the pool retires can go. */
        private final Set<PGConnection> registered = Collections.newSetFromMap(new WeakHashMap<>());

        Registering(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return registered(pool.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return registered(pool.getConnection(username, password));
        }

        private Connection registered(Connection connection) throws SQLException {
            try {
                PGConnection physical = connection.unwrap(PGConnection.class);
                synchronized (registered) {
                    if (!registered.contains(physical)) {
                        PGvector.registerTypes(connection);
                        physical.addDataType(VectorArray.TYPE, VectorArray.class);
                        registered.add(physical);
                    }
                }
                return connection;
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
    }
}

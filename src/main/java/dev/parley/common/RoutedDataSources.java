package dev.parley.common;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Puts {@link ReplicaRouting} in front of the primary's data source ({@code default}), outermost, so that
 * a connection asked for inside a replica read comes from the replica, and every other from the primary
 * through its breaker as before.
 */
@Singleton
final class RoutedDataSources implements BeanCreatedEventListener<DataSource>, Ordered {

    private final BeanProvider<ReplicaRouting> routing;

    RoutedDataSources(BeanProvider<ReplicaRouting> routing) {
        this.routing = routing;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        if (!"default".equals(event.getBeanIdentifier().getName())) {
            return event.getBean();
        }
        return new Routed(event.getBean(), routing);
    }

    /** After the breaker's and the vector types' wrappers: outside both. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 10;
    }

    private static final class Routed extends ForwardingDataSource {

        private final BeanProvider<ReplicaRouting> routing;

        Routed(DataSource primary, BeanProvider<ReplicaRouting> routing) {
            super(primary);
            this.routing = routing;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection replica = ReplicaRouting.routedHere() ? routing.get().replicaConnection() : null;
            return replica != null ? replica : pool.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return pool.getConnection(username, password);
        }
    }
}

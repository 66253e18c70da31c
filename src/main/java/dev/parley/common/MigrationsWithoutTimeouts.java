package dev.parley.common;

import io.micronaut.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs the schema migrations over maintenance connections ({@link DatabaseConnections#openForMaintenance}:
 * no statement timeout, the long maintenance network timeout) instead of the pool's, whose 8 s
 * statement and 10 s network timeouts would stop a migration that rewrites or indexes a large table
 * half-way, and with it the start of every instance. Flyway still gets its connections one at a
 * time and closes them; only where they come from changes.
 */
@Singleton
@Named("default")
final class MigrationsWithoutTimeouts implements FlywayConfigurationCustomizer {

    private static final String DATA_SOURCE = "default";

    private final DatabaseConnections connections;

    MigrationsWithoutTimeouts(DatabaseConnections connections) {
        this.connections = connections;
    }

    @Override
    public String getName() {
        return DATA_SOURCE;
    }

    @Override
    public void customizeFluentConfiguration(FluentConfiguration configuration) {
        configuration.dataSource(new Unpooled(configuration.getDataSource(), connections));
    }

    /** The pool for everything but connections, which are new maintenance connections. */
    private static final class Unpooled extends ForwardingDataSource {

        private final DatabaseConnections connections;

        Unpooled(DataSource pool, DatabaseConnections connections) {
            super(pool);
            this.connections = connections;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connections.openForMaintenance(DATA_SOURCE);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connections.openForMaintenance(DATA_SOURCE);
        }
    }
}

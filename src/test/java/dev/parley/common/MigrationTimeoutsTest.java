package dev.parley.common;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Migrations run without the pool's statement and network timeouts (a migration of a large table may
 * take minutes), while the pool keeps them.
 */
@MicronautTest(transactional = false)
class MigrationTimeoutsTest {

    @Inject
    @Named("default")
    Flyway flyway;

    @Inject
    DatabaseConnections connections;

    @Inject
    DatabaseSettings settings;

    @Test
    void migrationsHaveNoStatementTimeoutAndTheMaintenanceNetworkTimeout() throws Exception {
        try (Connection migrating = flyway.getConfiguration().getDataSource().getConnection()) {
            assertEquals("0", statementTimeout(migrating));
            assertEquals(settings.maintenanceTimeout().toMillis(), migrating.getNetworkTimeout());
        }
        try (Connection pooled = connections.open("default")) {
            assertEquals(settings.statementTimeout().toSeconds() + "s", statementTimeout(pooled));
        }
    }

    private static String statementTimeout(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SHOW statement_timeout")) {
            rs.next();
            return rs.getString(1);
        }
    }
}

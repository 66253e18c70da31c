package dev.parley.common;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Unpooled connections for the few uses a pool cannot serve (a LISTEN session, a
 * {@code CREATE INDEX CONCURRENTLY} outside any transaction), to a configured data source and with the
 * same timeouts as its pool ({@link DatabaseSettings}), so that no connection of the service can hang.
 */
@Singleton
public class DatabaseConnections {

    private final BeanContext context;
    private final DatabaseSettings settings;

    DatabaseConnections(BeanContext context, DatabaseSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    /** A new connection to data source {@code name} with its pool's statement and network timeouts. */
    public Connection open(String name) throws SQLException {
        DatasourceConfiguration config = configuration(name);
        return DriverManager.getConnection(config.getUrl(), credentials(config, config.getDataSourceProperties()));
    }

    /**
     * A new connection to data source {@code name} for one long maintenance statement: no statement
     * timeout, and the (long) maintenance network timeout instead of the pool's.
     */
    public Connection openForMaintenance(String name) throws SQLException {
        DatasourceConfiguration config = configuration(name);
        Properties properties = strings(config.getDataSourceProperties());
        properties.setProperty("socketTimeout", String.valueOf(DatabaseSettings.seconds(settings.maintenanceTimeout())));
        properties.setProperty("options", withStatementTimeout(properties.getProperty("options"), Duration.ZERO, true));
        return DriverManager.getConnection(config.getUrl(), credentials(config, properties));
    }

    /**
     * A new connection to data source {@code name} that gives up after {@code timeout} at every step
     * (connecting, starting up, answering): a probe of whether the database answers at all.
     */
    Connection openProbe(String name, Duration timeout) throws SQLException {
        DatasourceConfiguration config = configuration(name);
        Properties properties = strings(config.getDataSourceProperties());
        String seconds = String.valueOf(DatabaseSettings.seconds(timeout));
        properties.setProperty("socketTimeout", seconds);
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        return DriverManager.getConnection(config.getUrl(), credentials(config, properties));
    }

    /**
     * The driver properties of a data source with the service's timeouts added; what a data source
     * configures for itself (its {@code data-source-properties}) wins.
     */
    static Properties withTimeouts(Properties configured, DatabaseSettings settings) {
        Properties properties = strings(configured);
        properties.putIfAbsent("socketTimeout", String.valueOf(DatabaseSettings.seconds(settings.networkTimeout())));
        properties.putIfAbsent("connectTimeout", String.valueOf(DatabaseSettings.seconds(settings.connectTimeout())));
        properties.putIfAbsent("loginTimeout", String.valueOf(DatabaseSettings.seconds(settings.connectTimeout())));
        // A peer that vanished without a word is noticed by the network timeout; keepalive covers idle sockets.
        properties.putIfAbsent("tcpKeepAlive", "true");
        properties.setProperty("options",
                withStatementTimeout(properties.getProperty("options"), settings.statementTimeout(), false));
        return properties;
    }

    /** PostgreSQL start-up options with a statement timeout, unless they set one already and {@code replace} is false. */
    private static String withStatementTimeout(String options, Duration timeout, boolean replace) {
        String current = options == null ? "" : options.strip();
        String setting = "-c statement_timeout=" + timeout.toMillis();
        if (current.contains("statement_timeout")) {
            return replace ? current.replaceAll("-c\\s*statement_timeout=\\S+", setting) : current;
        }
        return current.isEmpty() ? setting : current + " " + setting;
    }

    private DatasourceConfiguration configuration(String name) {
        return context.getBean(DatasourceConfiguration.class, Qualifiers.byName(name));
    }

    private static Properties credentials(DatasourceConfiguration config, Properties base) {
        Properties properties = strings(base);
        if (config.getUsername() != null) {
            properties.setProperty("user", config.getUsername());
        }
        if (config.getPassword() != null) {
            properties.setProperty("password", config.getPassword());
        }
        return properties;
    }

    /** A copy holding every value as text: the driver reads properties with getProperty, which skips other values. */
    private static Properties strings(Properties source) {
        Properties copy = new Properties();
        source.forEach((key, value) -> copy.setProperty(String.valueOf(key), String.valueOf(value)));
        return copy;
    }
}

package dev.parley.common;

import com.zaxxer.hikari.SQLExceptionOverride;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.sql.SQLException;

/**
 * Gives every configured data source (the primary, a replica) the service's timeouts before its pool
 * is built, so one set of {@code parley.database.*} settings covers them all: the driver's network,
 * connect and login timeouts and PostgreSQL's statement timeout (as a start-up option, so it holds for
 * every statement of every connection, the search's {@code set_config(..., true)} settings included),
 * the pool's validation timeout, and a hook that reports every failure of a lent connection to the
 * data source's {@link DatabaseBreaker}. Settings a data source configures itself
 * ({@code datasources.<name>.data-source-properties}) win.
 */
@Singleton
final class DatabaseTimeouts implements BeanCreatedEventListener<DatasourceConfiguration> {

    private final DatabaseSettings settings;
    private final DatabaseBreakers breakers;

    DatabaseTimeouts(DatabaseSettings settings, DatabaseBreakers breakers) {
        this.settings = settings;
        this.breakers = breakers;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        config.setDataSourceProperties(toMap(DatabaseConnections.withTimeouts(config.getDataSourceProperties(), settings)));
        config.setValidationTimeout(settings.validationTimeout().toMillis());
        config.setExceptionOverride(new BreakerFeed(breakers.of(config.getName())));
        return config;
    }

    /** Hikari's hook on every failure of a lent connection, reporting it to the data source's breaker. */
    record BreakerFeed(DatabaseBreaker breaker) implements SQLExceptionOverride {

        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException failure) {
            breaker.observe(failure);
            return SQLExceptionOverride.Override.CONTINUE_EVICT;   // the pool's own judgement of the connection stands
        }
    }

    private static java.util.Map<String, Object> toMap(java.util.Properties properties) {
        java.util.Map<String, Object> map = new java.util.HashMap<>();
        properties.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }
}

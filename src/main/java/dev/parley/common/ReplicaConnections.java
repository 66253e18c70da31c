package dev.parley.common;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes every connection to the replica read-only, on both sides: the pool marks it read-only
 * ({@code setReadOnly}), and PostgreSQL starts each of its sessions with
 * {@code default_transaction_read_only}, so that a write routed there by mistake fails whatever kind of
 * server the replica is (a standby refuses writes anyway; a logical copy would not). Unless configured,
 * a read waits at most a second for a replica connection, then runs on the primary.
 */
@Singleton
final class ReplicaConnections implements BeanCreatedEventListener<DatasourceConfiguration> {

    static final String READ_ONLY = "-c default_transaction_read_only=on";
    private static final long HIKARI_DEFAULT_CONNECTION_TIMEOUT = 30_000;
    /** Hikari's minimum is 250 ms; a replica on the same network answers in a few. */
    static final java.time.Duration DEFAULT_CONNECTION_TIMEOUT = java.time.Duration.ofSeconds(1);

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        if (!ReplicaRouting.NAME.equals(config.getName())) {
            return config;
        }
        config.setReadOnly(true);
        if (config.getConnectionTimeout() == HIKARI_DEFAULT_CONNECTION_TIMEOUT) {
            // Not configured: a read waits this long for a replica connection before the primary serves it.
            config.setConnectionTimeout(DEFAULT_CONNECTION_TIMEOUT.toMillis());
        }
        Map<String, Object> properties = new HashMap<>();
        config.getDataSourceProperties().forEach((key, value) -> properties.put(String.valueOf(key), value));
        Object options = properties.get("options");
        String current = options == null ? "" : options.toString().strip();
        if (!current.contains("default_transaction_read_only")) {
            properties.put("options", current.isEmpty() ? READ_ONLY : current + " " + READ_ONLY);
        }
        config.setDataSourceProperties(properties);
        return config;
    }
}

package dev.parley.common;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.aggregator.HealthAggregator;
import io.micronaut.management.health.indicator.jdbc.JdbcIndicator;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.concurrent.ExecutorService;

/**
 * Micronaut's {@code jdbc} health check for the primary only. Its own checks every data source, so a
 * lost read replica would turn the whole instance DOWN although reads simply go to the primary; the
 * replica reports in its own part ({@link ReplicaHealthIndicator}).
 */
@Factory
class PrimaryHealth {

    @Singleton
    @Replaces(JdbcIndicator.class)
    @Requires(beans = HealthEndpoint.class)
    @Requires(property = "endpoints.health.jdbc.enabled", notEquals = "false")
    JdbcIndicator jdbcIndicator(@Named(TaskExecutors.BLOCKING) ExecutorService executor,
                                @Named("default") DataSource primary, DataSourceResolver resolver,
                                HealthAggregator<?> aggregator) {
        return new JdbcIndicator(executor, new DataSource[] {primary}, resolver, aggregator);
    }
}

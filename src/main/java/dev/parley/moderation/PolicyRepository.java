package dev.parley.moderation;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** The stored versions of the moderation policy. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface PolicyRepository extends GenericRepository<PolicyRow, Long> {

    PolicyRow save(PolicyRow policy);

    /** The version in force: the highest. */
    Optional<PolicyRow> findFirstOrderByVersionDesc();
}

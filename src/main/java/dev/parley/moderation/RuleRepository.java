package dev.parley.moderation;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** The rules provider's watched words, phrases and regular expressions, replaced as a whole. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface RuleRepository extends GenericRepository<RuleRow, Long> {

    /** In the order they were stored, which is the order of the last PUT. */
    List<RuleRow> listOrderById();

    void deleteAll();

    List<RuleRow> saveAll(Iterable<RuleRow> rules);
}

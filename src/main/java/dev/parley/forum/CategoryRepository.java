package dev.parley.forum;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Sort;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface CategoryRepository extends GenericRepository<CategoryRow, Long> {

    /** Names need not be unique: the id keeps the order stable. */
    Sort BY_NAME = Sort.of(Sort.Order.asc("name"), Sort.Order.asc("id"));

    List<CategoryRow> findAll(Sort sort);

    Optional<CategoryRow> findBySlug(String slug);

    /** Inserts a category; a taken slug fails with a unique violation (see UniqueViolations). */
    CategoryRow save(CategoryRow category);
}

package dev.parley.search;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** Search state shared by every instance, such as the active embedding model. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface SearchSettings extends GenericRepository<SearchSettings.Setting, String> {

    @MappedEntity("search_settings")
    record Setting(@Id String key, String value) {
    }

    Optional<String> findValueByKey(String key);

    @Query("""
            INSERT INTO search_settings (key, value) VALUES (:key, :value)
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""")
    void put(String key, String value);

    /** Sets a value unless one is stored already. */
    @Query("INSERT INTO search_settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
    void putIfAbsent(String key, String value);
}

package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** The moderation audit: entries are only ever added (a trigger refuses updates and deletes). */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AuditRepository extends GenericRepository<AuditEntryRow, Long> {

    AuditEntryRow save(AuditEntryRow entry);

    /** Many entries in one JDBC batch. */
    List<AuditEntryRow> saveAll(Iterable<AuditEntryRow> entries);

    /** Newest first, before the cursor's id, optionally only for one post and/or one actor. */
    @Query("""
            SELECT * FROM moderation_audit
             WHERE id < :beforeId AND (CAST(:postId AS bigint) IS NULL OR post_id = :postId)
               AND (CAST(:actor AS text) IS NULL OR actor = :actor)
             ORDER BY id DESC LIMIT :fetch""")
    List<AuditEntryRow> page(@Nullable Long postId, @Nullable String actor, long beforeId, int fetch);
}

package dev.parley.forum;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface VoteRepository extends GenericRepository<VoteRow, VoteRow.Key> {

    Optional<VoteRow> findById(VoteRow.Key id);

    void deleteById(VoteRow.Key id);

    /** Casts or changes a vote; a changed vote keeps its first {@code created_at}. */
    @Query("""
            INSERT INTO votes (post_id, user_id, value, created_at) VALUES (:postId, :userId, :value, :createdAt)
            ON CONFLICT (post_id, user_id) DO UPDATE SET value = EXCLUDED.value""")
    void upsert(long postId, long userId, int value, Instant createdAt);
}

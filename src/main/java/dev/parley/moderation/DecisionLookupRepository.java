package dev.parley.moderation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/** Automated decisions looked up by id or post version, for appeals and the statement of reasons. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface DecisionLookupRepository extends GenericRepository<DecisionRow, Long> {

    @Query("SELECT * FROM moderation_decisions WHERE id = ANY (:ids)")
    List<DecisionRow> decisions(Long[] ids);

    @Query("SELECT * FROM moderation_decisions WHERE post_id = :postId AND subject = 'post' AND post_version = :postVersion")
    Optional<DecisionRow> decisionOf(long postId, int postVersion);
}

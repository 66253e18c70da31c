package dev.parley.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ExternalIdentityRepository extends GenericRepository<ExternalIdentityRow, Long> {

    ExternalIdentityRow save(ExternalIdentityRow identity);

    /** The live account of a subject: one statement on the path of every request with a provider's token. */
    @Query("""
            SELECT u.* FROM external_identities e JOIN users u ON u.id = e.user_id
             WHERE e.issuer = :issuer AND e.subject = :subject AND u.deleted_at IS NULL""")
    Optional<UserAccount> findAccount(String issuer, String subject);

    /**
     * Serialises the first sign-ins of one subject until the end of the transaction, so the second
     * finds the account the first created. A transaction-scoped advisory lock, because there is no
     * row to lock yet; the unique (issuer, subject) still stands behind it.
     */
    @Query("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:issuer || ' ' || :subject, 17))")
    int lockSubject(String issuer, String subject);

    void deleteByUserId(long userId);
}

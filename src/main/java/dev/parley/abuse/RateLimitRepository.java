package dev.parley.abuse;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;

/**
 * The rate-limit counters. Times are parameters from the caller's clock, never {@code now()}.
 * The upsert returns the whole row: Micronaut Data maps a returning statement into the entity only.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface RateLimitRepository extends GenericRepository<RateLimitRow, RateLimitRow.Key> {

    /**
     * Charges one counter in a single atomic upsert, so concurrent instances cannot both pass on a
     * read of the same state. A new key gets {@code tat = freshTat} (allowed: the cost never exceeds
     * the window). An existing one moves to {@code max(tat + cost, freshTat)} if that stays within
     * {@code windowEnd}, else keeps its tat and records the refusal. A stored tat beyond
     * {@code windowEnd} cannot come from the limits in force (they were relaxed, or another clock
     * wrote it): it counts as a fresh key.
     *
     * @param freshTat  now + cost: the tat of a key charged for the first time
     * @param windowEnd now + window: no tat may pass it
     * @param cost      one charge, in seconds
     */
    @Query("""
            INSERT INTO rate_limits AS r (scope, key, tat, allowed) VALUES (:scope, :key, :freshTat, true)
            ON CONFLICT (scope, key) DO UPDATE SET
                allowed = greatest((CASE WHEN r.tat > :windowEnd THEN :now ELSE r.tat END)
                                   + make_interval(secs => :cost), EXCLUDED.tat) <= :windowEnd,
                tat = CASE WHEN greatest((CASE WHEN r.tat > :windowEnd THEN :now ELSE r.tat END)
                                         + make_interval(secs => :cost), EXCLUDED.tat) <= :windowEnd
                           THEN greatest((CASE WHEN r.tat > :windowEnd THEN :now ELSE r.tat END)
                                         + make_interval(secs => :cost), EXCLUDED.tat)
                           ELSE (CASE WHEN r.tat > :windowEnd THEN :now ELSE r.tat END) END
            RETURNING *""")
    RateLimitRow charge(String scope, String key, Instant now, Instant freshTat, Instant windowEnd, double cost);

    /** Takes back {@code cost} seconds of one counter. */
    @Query("UPDATE rate_limits SET tat = tat - make_interval(secs => :cost) WHERE scope = :scope AND key = :key")
    int refund(String scope, String key, double cost);

    /** Deletes up to {@code max} counters whose bucket was empty before {@code now}. */
    @Query("""
            DELETE FROM rate_limits WHERE (scope, key) IN
                (SELECT scope, key FROM rate_limits WHERE tat < :now LIMIT :max)""")
    int purge(Instant now, int max);
}

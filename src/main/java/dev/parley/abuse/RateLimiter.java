package dev.parley.abuse;

import dev.parley.common.Rows;
import dev.parley.common.Sql;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rate-limit counters in PostgreSQL (table {@code rate_limits}), so that every instance charges the
 * same budget: a generic cell rate algorithm (GCRA), one atomic upsert per charge, no read-then-write
 * race between instances. "Now" is this instance's {@link Clock}; instances are expected to keep
 * their clocks in step (NTP), a skew of a second or two only shifts a budget by as much.
 * <p>
 * Joins the caller's transaction when there is one (a charge for a post is rolled back with a post
 * that fails), else commits on its own (a failed login must stay counted).
 */
@Singleton
class RateLimiter {

    /** One charge: which counter, and for whom. */
    record Charge(Scope scope, String key) {
    }

    private final Sql sql;
    private final RateRules rules;
    private final Clock clock;

    RateLimiter(Sql sql, RateRules rules, Clock clock) {
        this.sql = sql;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Charges every counter, or none: on the first refusal the charges already made by this call are
     * taken back. Returns the refusal, with how long to wait, or empty when all were charged.
     */
    @Transactional
    Optional<Refusal> chargeAll(List<Charge> charges) {
        Instant now = clock.instant();
        List<Charge> made = new ArrayList<>();
        for (Charge charge : charges) {
            Optional<Duration> wait = charge(charge, now);
            if (wait.isPresent()) {
                made.forEach(this::refundOne);
                return Optional.of(new Refusal(charge.scope(), wait.get()));
            }
            made.add(charge);
        }
        return Optional.empty();
    }

    /** Takes back charges whose reason went away (a login that succeeded was not a failure). */
    @Transactional
    void refund(List<Charge> charges) {
        charges.forEach(this::refundOne);
    }

    /** Deletes up to {@code max} rows whose bucket is full again; they carry no information. */
    @Transactional
    int purge(int max) {
        Instant now = clock.instant();
        return sql.update("DELETE FROM rate_limits WHERE (scope, key) IN"
                        + " (SELECT scope, key FROM rate_limits WHERE tat < ? LIMIT ?)",
                s -> {
                    s.setTimestamp(1, Rows.timestamp(now));   // buckets empty before now
                    s.setInt(2, max);                         // at most this many rows
                });
    }

    /** Charges one counter; empty when allowed, else how long until it would be. */
    private Optional<Duration> charge(Charge charge, Instant now) {
        RateRules.Rule rule = rules.of(charge.scope());
        double cost = seconds(rule.cost());
        // A new key gets tat = now + cost (allowed: cost never exceeds the window). An existing one
        // moves to max(tat + cost, now + cost) if that stays within now + window, else keeps its tat
        // and records the refusal. A stored tat beyond now + window cannot come from the limits in
        // force (they were relaxed, or another clock wrote it): it counts as a fresh key.
        String old = "(CASE WHEN r.tat > ? THEN ? ELSE r.tat END)";
        String next = "greatest(" + old + " + make_interval(secs => ?), EXCLUDED.tat)";
        String statement = "INSERT INTO rate_limits AS r (scope, key, tat, allowed) VALUES (?, ?, ?, true)"
                + " ON CONFLICT (scope, key) DO UPDATE SET"
                + " allowed = " + next + " <= ?,"
                + " tat = CASE WHEN " + next + " <= ? THEN " + next + " ELSE " + old + " END"
                + " RETURNING tat, allowed";
        Timestamp nowAt = Rows.timestamp(now);
        Timestamp nowPlusWindow = Rows.timestamp(now.plus(rule.cost()).plus(rule.tolerance()));
        var outcome = sql.one(statement, s -> {
            int i = 0;
            s.setString(++i, charge.scope().configName());
            s.setString(++i, charge.key());
            s.setTimestamp(++i, Rows.timestamp(now.plus(rule.cost())));   // tat of a new key
            for (int use = 0; use < 4; use++) {                            // allowed, CASE test, new tat, refused tat
                s.setTimestamp(++i, nowPlusWindow);                        // old: beyond now + window?
                s.setTimestamp(++i, nowAt);                                //      then as if new
                if (use < 3) {
                    s.setDouble(++i, cost);                                // next: old + cost
                }
                if (use < 2) {
                    s.setTimestamp(++i, nowPlusWindow);                    // next within now + window
                }
            }
        }, row -> new Object[]{Rows.instant(row, "tat"), row.getBoolean("allowed")}).orElseThrow();
        if ((Boolean) outcome[1]) {
            return Optional.empty();
        }
        // Allowed again once max(tat, t) + cost <= t + window, i.e. at t = tat - tolerance.
        Instant tat = (Instant) outcome[0];
        return Optional.of(Duration.between(now, tat.minus(rule.tolerance())));
    }

    private void refundOne(Charge charge) {
        double cost = seconds(rules.of(charge.scope()).cost());
        sql.update("UPDATE rate_limits SET tat = tat - make_interval(secs => ?) WHERE scope = ? AND key = ?", s -> {
            s.setDouble(1, cost);                             // one charge's worth
            s.setString(2, charge.scope().configName());      // scope
            s.setString(3, charge.key());                     // key
        });
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** A refused charge: which limit, and how long until a retry would be allowed. */
    record Refusal(Scope scope, Duration retryAfter) {
    }
}

package dev.parley.abuse;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

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

    private final RateLimitRepository limits;
    private final RateRules rules;
    private final Clock clock;

    RateLimiter(RateLimitRepository limits, RateRules rules, Clock clock) {
        this.limits = limits;
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
        return limits.purge(clock.instant(), max);
    }

    /** Charges one counter; empty when allowed, else how long until it would be. */
    private Optional<Duration> charge(Charge charge, Instant now) {
        RateRules.Rule rule = rules.of(charge.scope());
        RateLimitRow outcome = limits.charge(charge.scope().configName(), charge.key(), now,
                now.plus(rule.cost()), now.plus(rule.cost()).plus(rule.tolerance()), seconds(rule.cost()));
        if (outcome.allowed()) {
            return Optional.empty();
        }
        // Allowed again once max(tat, t) + cost <= t + window, i.e. at t = tat - tolerance.
        return Optional.of(Duration.between(now, outcome.tat().minus(rule.tolerance())));
    }

    private void refundOne(Charge charge) {
        limits.refund(charge.scope().configName(), charge.key(), seconds(rules.of(charge.scope()).cost()));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** A refused charge: which limit, and how long until a retry would be allowed. */
    record Refusal(Scope scope, Duration retryAfter) {
    }
}

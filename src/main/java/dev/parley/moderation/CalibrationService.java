package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Calibration from moderator outcomes (docs/moderation.md): over a period, what moderators made of
 * the items each harm category's flag threshold sent them, per forum category, and the threshold
 * that would have kept precision at a target, for the console's policy page to try in the preview.
 */
@Singleton
class CalibrationService {

    static final double DEFAULT_TARGET = 0.9;
    static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

    /**
     * @param target   the precision the suggestions keep
     * @param minItems the fewest resolved items at or above a suggested threshold
     * @param policyVersion the version of the policy whose thresholds are shown as in force
     */
    @Serdeable
    record Report(Instant since, Instant until, double target, int minItems, long policyVersion,
                  List<Calibration.Row> rows) {
    }

    private final CalibrationRepository evidence;
    private final PolicyService policies;
    private final Clock clock;

    CalibrationService(CalibrationRepository evidence, PolicyService policies, Clock clock) {
        this.evidence = evidence;
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * @param since  start of the period (inclusive); null: 30 days before its end
     * @param until  end of the period (exclusive); null: now
     * @param target the precision to keep, in (0, 1]; null: 0.9
     */
    @Transactional(readOnly = true)
    Report report(Actor actor, @Nullable Instant since, @Nullable Instant until, @Nullable Double target) {
        actor.require(Role.MODERATOR);
        double precision = target == null ? DEFAULT_TARGET : target;
        if (!(precision > 0 && precision <= 1)) {
            throw DomainException.invalid("precision", "must be more than 0 and at most 1");
        }
        Instant end = until != null ? until : clock.instant();
        Instant start = since != null ? since : end.minus(DEFAULT_PERIOD);
        if (!start.isBefore(end)) {
            throw DomainException.invalid("since", until != null ? "must be before until" : "must not be in the future");
        }
        Policy policy = policies.current();
        List<Calibration.Outcome> outcomes = evidence.evidence(start, end).stream()
                .map(e -> new Calibration.Outcome(e.harmCategory(), e.forumCategory(), e.score(),
                        Calibration.Verdict.valueOf(e.verdict().toUpperCase(Locale.ROOT))))
                .toList();
        List<Calibration.Row> rows = Calibration.rows(outcomes, precision, Calibration.MIN_ITEMS, policy::effective);
        return new Report(start, end, precision, Calibration.MIN_ITEMS, policy.version() == null ? 0 : policy.version(),
                rows);
    }
}

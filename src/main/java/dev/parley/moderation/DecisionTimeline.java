package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Automated decisions by outcome and by harm category, and human resolutions, per UTC hour or day:
 * the console's chart. Every bucket of the range is present, empty ones with zeros, so a client
 * draws the axis without filling gaps itself.
 */
@Singleton
class DecisionTimeline {

    /** 31 days of hours; a year of days fits as well. */
    static final int MAX_BUCKETS = 744;

    @Serdeable
    record Bucket(Instant start, Map<String, Long> decisions, Map<String, Long> categories, Map<String, Long> human) {
    }

    @Serdeable
    record Timeline(String bucket, Instant since, Instant until, List<Bucket> buckets) {
    }

    private final DecisionTimelineRepository counts;
    private final Clock clock;

    DecisionTimeline(DecisionTimelineRepository counts, Clock clock) {
        this.counts = counts;
        this.clock = clock;
    }

    /**
     * @param since  start of the range, rounded down to its bucket; null: 24 hours or 30 days before its end
     * @param until  end of the range, exclusive, rounded up to a bucket's end; null: the end of the current bucket
     * @param bucket "hour" or "day"; null: hour
     */
    @Transactional(readOnly = true)
    Timeline between(Actor actor, Instant since, Instant until, String bucket) {
        actor.require(Role.MODERATOR);
        String unit = bucket == null || bucket.isBlank() ? "hour" : bucket;
        ChronoUnit step = switch (unit) {
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            default -> throw DomainException.invalid("bucket", "must be hour or day");
        };
        Instant end = until != null ? roundUp(until, step) : clock.instant().truncatedTo(step).plus(1, step);
        Instant first = since != null ? since.truncatedTo(step) : end.minus(step == ChronoUnit.HOURS ? 24 : 30, step);
        if (!first.isBefore(end)) {
            throw DomainException.invalid("since", until != null ? "must be before until" : "must not be in the future");
        }
        long buckets = Duration.between(first, end).dividedBy(step.getDuration());
        if (buckets > MAX_BUCKETS) {
            throw DomainException.invalid("since", "covers " + buckets + " buckets of a " + unit + "; at most "
                    + MAX_BUCKETS + " are allowed");
        }
        Map<Instant, Bucket> byStart = new LinkedHashMap<>();
        for (Instant start = first; start.isBefore(end); start = start.plus(1, step)) {
            byStart.put(start, new Bucket(start, outcomes(), new LinkedHashMap<>(), actions()));
        }
        counts.decisions(unit, first, end).forEach(c -> byStart.get(c.bucket()).decisions().put(c.key(), c.count()));
        counts.categories(unit, first, end).forEach(c -> byStart.get(c.bucket()).categories().put(c.key(), c.count()));
        counts.resolutions(unit, first, end).forEach(c -> byStart.get(c.bucket()).human().put(c.key(), c.count()));
        return new Timeline(unit, first, end, new ArrayList<>(byStart.values()));
    }

    private static Instant roundUp(Instant instant, ChronoUnit step) {
        Instant down = instant.truncatedTo(step);
        return down.equals(instant) ? down : down.plus(1, step);
    }

    private static Map<String, Long> outcomes() {
        Map<String, Long> map = new LinkedHashMap<>();
        for (Decision decision : Decision.values()) {
            map.put(decision.wire(), 0L);
        }
        return map;
    }

    private static Map<String, Long> actions() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put(ReviewResolution.APPROVE.wire(), 0L);
        map.put(ReviewResolution.REJECT.wire(), 0L);
        return map;
    }
}

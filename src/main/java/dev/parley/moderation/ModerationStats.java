package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counts of automated decisions by outcome and harm category, and of human resolutions. */
@Singleton
class ModerationStats {

    @Serdeable
    record Stats(Instant since, Map<String, Long> decisions, Map<String, Long> categories, Map<String, Long> human) {
    }

    private final DecisionRepository decisions;
    private final ReviewRepository reviews;
    private final Clock clock;

    ModerationStats(DecisionRepository decisions, ReviewRepository reviews, Clock clock) {
        this.decisions = decisions;
        this.reviews = reviews;
        this.clock = clock;
    }

    /** Since {@code since}, or over the last 7 days. */
    @Transactional(readOnly = true)
    Stats since(Actor actor, Instant since) {
        actor.require(Role.MODERATOR);
        Instant from = since != null ? since : clock.instant().minus(Duration.ofDays(7));
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (String outcome : new String[]{Verdict.PUBLISHED, Verdict.FLAGGED, Verdict.REJECTED}) {
            outcomes.put(outcome, 0L);
        }
        outcomes.putAll(decisions.countByDecision(from));
        Map<String, Long> human = new LinkedHashMap<>();
        human.put("approve", 0L);
        human.put("reject", 0L);
        reviews.countResolutions(from).forEach(row -> human.put((String) row[0], (Long) row[1]));
        return new Stats(from, outcomes, decisions.countByCategory(from), human);
    }
}

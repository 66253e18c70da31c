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
        for (Decision outcome : Decision.values()) {
            outcomes.put(outcome.wire(), 0L);
        }
        decisions.countByDecision(from).forEach(c -> outcomes.put(c.decision(), c.count()));
        Map<String, Long> categories = new LinkedHashMap<>();
        decisions.countByCategory(from).forEach(c -> categories.put(c.category(), c.count()));
        Map<String, Long> human = new LinkedHashMap<>();
        human.put(ReviewResolution.APPROVE.wire(), 0L);
        human.put(ReviewResolution.REJECT.wire(), 0L);
        reviews.countResolutions(from).forEach(c -> human.put(c.resolution(), c.count()));
        return new Stats(from, outcomes, categories, human);
    }
}

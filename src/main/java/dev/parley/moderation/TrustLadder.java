package dev.parley.moderation;

import dev.parley.auth.TrustLevel;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The automatic rises of trust levels: each step needs a number of published posts, an account
 * age and no rejection of the author's posts within a window (all configured under
 * {@code parley.moderation.trust}). Levels only rise: a rejection stops further rises, it does not
 * take an earned level away (a moderator can). Pure, so it is unit-tested.
 */
record TrustLadder(List<Step> steps) {

    /** What reaching {@code level} takes. */
    record Step(TrustLevel level, long publishedPosts, Duration accountAge, Duration rejectionFree) {
    }

    /** An author's record when one of their posts is decided. */
    record Record(TrustLevel level, long publishedPosts, Instant createdAt, @Nullable Instant lastRejection) {
    }

    /** Whether any step lies above {@code level}: from the top automatic step on, nothing is earned. */
    boolean above(TrustLevel level) {
        return steps.stream().anyMatch(step -> level.below(step.level()));
    }

    /** The highest level the record earns, climbing the steps in order; never below the current level. */
    TrustLevel earned(Record record, Instant now) {
        TrustLevel level = record.level();
        for (Step step : steps) {
            if (!level.below(step.level())) {
                continue;
            }
            if (!meets(step, record, now)) {
                break;
            }
            level = step.level();
        }
        return level;
    }

    private static boolean meets(Step step, Record record, Instant now) {
        return record.publishedPosts() >= step.publishedPosts()
                && !record.createdAt().plus(step.accountAge()).isAfter(now)
                && (record.lastRejection() == null || !record.lastRejection().isAfter(now.minus(step.rejectionFree())));
    }
}

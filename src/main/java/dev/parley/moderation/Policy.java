package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * The moderation policy of API.md: thresholds per harm category, per-forum-category overrides
 * that win per harm category, and what to do when the provider cannot answer.
 *
 * @param version the stored version this policy is (0: the built-in defaults); ignored on PUT
 */
@Serdeable
public record Policy(@Nullable Map<String, Thresholds> thresholds,
                     @Nullable Map<String, CategoryOverride> categoryOverrides,
                     @Nullable String onProviderFailure,
                     @Nullable Long version) {

    public static final String FLAG = "flag";
    public static final String PUBLISH = "publish";

    /** The overrides of one forum category. */
    @Serdeable
    public record CategoryOverride(@Nullable Map<String, Thresholds> thresholds) {
    }

    /** The thresholds in force for a harm category in a forum category: the override's when it names it. */
    Thresholds effective(String forumCategory, String harmCategory) {
        CategoryOverride override = categoryOverrides == null ? null : categoryOverrides.get(forumCategory);
        if (override != null && override.thresholds() != null && override.thresholds().containsKey(harmCategory)) {
            return override.thresholds().get(harmCategory);
        }
        return thresholds == null ? null : thresholds.get(harmCategory);
    }

    Policy withVersion(long newVersion) {
        return new Policy(thresholds, categoryOverrides, onProviderFailure, newVersion);
    }
}

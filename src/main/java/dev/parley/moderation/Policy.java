package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/**
 * The moderation policy of API.md: thresholds per harm category, per-forum-category overrides
 * that win per harm category, and what to do when the provider cannot answer; and the rules for
 * new accounts (docs/moderation.md, "Trust levels").
 *
 * @param version     the stored version this policy is (0: the built-in defaults); ignored on PUT
 * @param newAccounts rules for accounts below a trust level; null: none (a forum category's own wins)
 */
@Serdeable
public record Policy(@Nullable Map<String, Thresholds> thresholds,
                     @Nullable Map<String, CategoryOverride> categoryOverrides,
                     @Nullable String onProviderFailure,
                     @Nullable Long version,
                     // OpenAPI 3.0: a nullable reference needs a type beside its allOf; micronaut-openapi writes the one @Schema names.
                     @Schema(type = "object", nullable = true) @Nullable NewAccounts newAccounts) {

    public static final String FLAG = "flag";
    public static final String PUBLISH = "publish";

    /** The overrides of one forum category; its {@code newAccounts} replaces the global one as a whole. */
    @Serdeable
    public record CategoryOverride(@Nullable Map<String, Thresholds> thresholds,
                                   @Schema(type = "object", nullable = true) @Nullable NewAccounts newAccounts) {
    }

    /**
     * What applies to the posts of accounts below {@code belowLevel} (moderators and admins never
     * count as new).
     *
     * @param belowLevel       trust levels under this one are new (0 disables the rules, e.g. in one category)
     * @param reviewFirstPosts an author's first N published posts wait for a moderator; 0: none
     * @param thresholds       per harm category, thresholds that apply where they are stricter than the
     *                         policy's own (the lower of the two counts; null never fires)
     */
    @Serdeable
    public record NewAccounts(@Nullable Integer belowLevel, @Nullable Integer reviewFirstPosts,
                              @Nullable Map<String, Thresholds> thresholds) {
    }

    /** The thresholds in force for a harm category in a forum category: the override's when it names it. */
    Thresholds effective(String forumCategory, String harmCategory) {
        CategoryOverride override = categoryOverrides == null ? null : categoryOverrides.get(forumCategory);
        if (override != null && override.thresholds() != null && override.thresholds().containsKey(harmCategory)) {
            return override.thresholds().get(harmCategory);
        }
        return thresholds == null ? null : thresholds.get(harmCategory);
    }

    /** The new-account rules in a forum category: its override's when it has them, else the global ones. */
    @Nullable
    NewAccounts newAccountsIn(String forumCategory) {
        CategoryOverride override = categoryOverrides == null ? null : categoryOverrides.get(forumCategory);
        if (override != null && override.newAccounts() != null) {
            return override.newAccounts();
        }
        return newAccounts;
    }

    Policy withVersion(long newVersion) {
        return new Policy(thresholds, categoryOverrides, onProviderFailure, newVersion, newAccounts);
    }
}

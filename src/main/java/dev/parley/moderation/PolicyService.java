package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.auth.TrustLevel;
import dev.parley.common.DomainException;
import dev.parley.common.Problem;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The versioned moderation policy: the highest stored version is in force, the defaults before any. */
@Singleton
class PolicyService {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final PolicyRepository versions;
    private final AuditLog audit;
    private final Clock clock;

    PolicyService(PolicyRepository versions, AuditLog audit, Clock clock) {
        this.versions = versions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The policy in force, with its version. */
    @Transactional(readOnly = true)
    Policy current() {
        return versions.findFirstOrderByVersionDesc().map(row -> row.policy().withVersion(row.version()))
                .orElseGet(DefaultPolicy::get);
    }

    @Transactional(readOnly = true)
    Policy view(Actor actor) {
        actor.require(Role.MODERATOR);
        return current();
    }

    /** Replaces the whole policy (admin); harm categories it leaves out have no thresholds. */
    @Transactional
    Policy replace(Actor actor, Policy submitted) {
        actor.require(Role.ADMIN).requireActive();
        Policy policy = validated(submitted);
        long version = versions.save(new PolicyRow(null, policy, actor.id(), clock.instant())).version();
        audit.record(actor, "policy.update", null, Map.of("version", version));
        return policy.withVersion(version);
    }

    /** The policy a PUT would store, or 422 naming every invalid field (also used by {@link PolicyPreview}). */
    static Policy validated(Policy policy) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, Thresholds> thresholds = checkThresholds("thresholds", policy.thresholds(), errors);
        Map<String, Policy.CategoryOverride> overrides = new LinkedHashMap<>();
        if (policy.categoryOverrides() != null) {
            policy.categoryOverrides().forEach((slug, override) -> {
                String field = "categoryOverrides." + slug;
                if (!SLUG.matcher(slug).matches()) {
                    errors.add(new Problem.FieldError(field, "is not a forum category slug"));
                }
                overrides.put(slug, new Policy.CategoryOverride(checkThresholds(field + ".thresholds",
                        override == null ? null : override.thresholds(), errors),
                        checkNewAccounts(field + ".newAccounts", override == null ? null : override.newAccounts(), errors)));
            });
        }
        Policy.NewAccounts newAccounts = checkNewAccounts("newAccounts", policy.newAccounts(), errors);
        String onFailure = policy.onProviderFailure() == null ? Policy.FLAG : policy.onProviderFailure();
        if (!onFailure.equals(Policy.FLAG) && !onFailure.equals(Policy.PUBLISH)) {
            errors.add(new Problem.FieldError("onProviderFailure", "must be flag or publish"));
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return new Policy(thresholds, overrides, onFailure, null, newAccounts);
    }

    /** Trust levels run 0..3; a review of more first posts than this is a policy mistake, not a gate. */
    static final int MAX_REVIEW_FIRST_POSTS = 100;

    private static Policy.NewAccounts checkNewAccounts(String field, Policy.NewAccounts rules,
                                                       List<Problem.FieldError> errors) {
        if (rules == null) {
            return null;
        }
        Integer below = rules.belowLevel();
        if (below == null) {
            errors.add(new Problem.FieldError(field + ".belowLevel", "is required (0 to 3; 0 applies to nobody)"));
        } else if (below < 0 || below > TrustLevel.TRUSTED.value()) {
            errors.add(new Problem.FieldError(field + ".belowLevel", "must be between 0 and 3"));
        }
        int reviewFirst = rules.reviewFirstPosts() == null ? 0 : rules.reviewFirstPosts();
        if (reviewFirst < 0 || reviewFirst > MAX_REVIEW_FIRST_POSTS) {
            errors.add(new Problem.FieldError(field + ".reviewFirstPosts", "must be between 0 and " + MAX_REVIEW_FIRST_POSTS));
        }
        return new Policy.NewAccounts(below, reviewFirst, checkThresholds(field + ".thresholds", rules.thresholds(), errors));
    }

    private static Map<String, Thresholds> checkThresholds(String field, Map<String, Thresholds> thresholds,
                                                           List<Problem.FieldError> errors) {
        Map<String, Thresholds> checked = new LinkedHashMap<>();
        if (thresholds == null) {
            return checked;
        }
        thresholds.forEach((category, value) -> {
            String path = field + "." + category;
            if (!HarmCategories.isKnown(category)) {
                errors.add(new Problem.FieldError(path, "is not a harm category"));
                return;
            }
            Thresholds t = value == null ? new Thresholds(null, null) : value;
            checkUnit(path + ".flag", t.flag(), errors);
            checkUnit(path + ".reject", t.reject(), errors);
            checked.put(category, t);
        });
        return checked;
    }

    private static void checkUnit(String field, Double value, List<Problem.FieldError> errors) {
        if (value != null && !(value >= 0 && value <= 1)) {
            errors.add(new Problem.FieldError(field, "must be between 0 and 1, or null"));
        }
    }
}

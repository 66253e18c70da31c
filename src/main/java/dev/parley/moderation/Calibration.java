package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * How well each harm category's flag threshold did in each forum category, judged by what
 * moderators made of the items it flagged, and the lowest flag threshold that would have kept
 * precision at a target on the recorded scores. Pure, so every rule is unit-tested
 * (docs/moderation.md, "Calibration").
 */
final class Calibration {

    /** Fewer resolved items at or above a threshold than this make no suggestion: a precision of 2 of 2 says nothing. */
    static final int MIN_ITEMS = 5;

    private Calibration() {
    }

    /** What became of one item, as evidence about one harm category's threshold in one forum category. */
    enum Verdict {
        /** Flagged by this category, and a moderator approved the post: a false positive. */
        APPROVED,
        /** Flagged by this category, and a moderator rejected the post: a true positive. */
        REJECTED,
        /** Published automatically, then reported and rejected by a moderator: missed by every threshold. */
        MISSED
    }

    /** One piece of evidence: the harm category's recorded score for the item and the verdict. */
    record Outcome(String harmCategory, String forumCategory, double score, Verdict verdict) {
    }

    /** Why a row has no suggestion, or that it has one. */
    @Serdeable
    enum SuggestionStatus {
        SUGGESTED, TOO_FEW_ITEMS, TARGET_NOT_REACHED;

        /** The name in the API's JSON: suggested, too-few-items, target-not-reached. */
        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The suggested flag threshold and the numbers at it: the resolved flagged items whose score is
     * at or above it, how many were rejected and approved, and their precision.
     */
    @Serdeable
    record Suggestion(double flag, long resolved, long rejected, long approved, double precision) {
    }

    /**
     * One harm category in one forum category.
     *
     * @param precision  rejected ÷ (approved + rejected); null when nothing was resolved
     * @param missed     posts published automatically that a moderator rejected after a report,
     *                   counted for the harm category that scored them highest
     * @param threshold  the thresholds in force now for this harm category in this forum category
     * @param suggestion null unless {@code status} is suggested
     */
    // OpenAPI 3.0: a nullable reference needs a type beside its allOf; micronaut-openapi writes the one @Schema names.
    @Serdeable
    record Row(String harmCategory, String forumCategory, long approved, long rejected, long resolved,
               @Nullable Double precision, long missed, @Schema(type = "object", nullable = true) @Nullable Thresholds threshold,
               SuggestionStatus status, @Schema(type = "object", nullable = true) @Nullable Suggestion suggestion) {
    }

    /**
     * Rows for every harm category × forum category with evidence, in harm-category order and then
     * by forum category.
     *
     * @param target   the precision a suggested threshold must keep, in (0, 1]
     * @param minItems the fewest resolved items at or above a suggested threshold
     * @param inForce  the thresholds in force now for (forum category, harm category), or null
     */
    static List<Row> rows(List<Outcome> outcomes, double target, int minItems,
                          BiFunction<String, String, Thresholds> inForce) {
        Map<String, Map<String, List<Outcome>>> grouped = new LinkedHashMap<>();
        for (String harm : HarmCategories.ALL) {
            grouped.put(harm, new TreeMap<>());
        }
        for (Outcome outcome : outcomes) {
            grouped.computeIfAbsent(outcome.harmCategory(), h -> new TreeMap<>())
                    .computeIfAbsent(outcome.forumCategory(), f -> new ArrayList<>()).add(outcome);
        }
        List<Row> rows = new ArrayList<>();
        grouped.forEach((harm, byForum) -> byForum.forEach((forum, evidence) ->
                rows.add(row(harm, forum, evidence, target, minItems, inForce.apply(forum, harm)))));
        return rows;
    }

    private static Row row(String harm, String forum, List<Outcome> evidence, double target, int minItems,
                           Thresholds threshold) {
        long approved = count(evidence, Verdict.APPROVED);
        long rejected = count(evidence, Verdict.REJECTED);
        long missed = count(evidence, Verdict.MISSED);
        long resolved = approved + rejected;
        Double precision = resolved == 0 ? null : (double) rejected / resolved;
        List<Outcome> flagged = evidence.stream().filter(o -> o.verdict() != Verdict.MISSED)
                .sorted(Comparator.comparingDouble(Outcome::score)).toList();
        Suggestion suggestion = suggest(flagged, target, minItems);
        SuggestionStatus status = suggestion != null ? SuggestionStatus.SUGGESTED
                : flagged.size() < minItems ? SuggestionStatus.TOO_FEW_ITEMS : SuggestionStatus.TARGET_NOT_REACHED;
        return new Row(harm, forum, approved, rejected, resolved, precision, missed, threshold, status, suggestion);
    }

    /**
     * The lowest candidate threshold t — a recorded score of a resolved flagged item — such that the
     * items scoring at least t number at least {@code minItems} and their precision is at least the
     * target. Precision need not grow with t, so every candidate is tried from the lowest up.
     *
     * @param flagged the resolved flagged items, by score ascending
     */
    static Suggestion suggest(List<Outcome> flagged, double target, int minItems) {
        int n = flagged.size();
        // rejectedFrom[i]: rejections among flagged[i..n-1]
        long[] rejectedFrom = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            rejectedFrom[i] = rejectedFrom[i + 1] + (flagged.get(i).verdict() == Verdict.REJECTED ? 1 : 0);
        }
        for (int i = 0; i < n; i++) {
            if (i > 0 && flagged.get(i).score() == flagged.get(i - 1).score()) {
                continue;   // equal scores form one candidate, starting at its first item
            }
            long atOrAbove = n - i;
            if (atOrAbove < minItems) {
                return null;
            }
            long rejected = rejectedFrom[i];
            double precision = (double) rejected / atOrAbove;
            // 9 of 10 must meet a target of 0.9 whatever the rounding of the division.
            if (precision >= target - 1e-12) {
                return new Suggestion(flagged.get(i).score(), atOrAbove, rejected, atOrAbove - rejected, precision);
            }
        }
        return null;
    }

    private static long count(List<Outcome> evidence, Verdict verdict) {
        return evidence.stream().filter(o -> o.verdict() == verdict).count();
    }
}

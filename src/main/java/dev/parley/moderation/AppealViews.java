package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The {@code appeal} of a review item of kind appeal, as moderators see it in the queue. */
@Singleton
class AppealViews {

    /**
     * The decision under appeal: its outcome, whether the automation took it or which moderator (with
     * their note), and the automated decision's scores, thresholds crossed and policy version.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Original(Decision decision, boolean automated, @Nullable String by, @Nullable String note,
                    @Nullable Map<String, Double> scores, @Nullable List<Verdict.Fired> fired,
                    @Nullable Long policyVersion) {
    }

    /** An appeal: the author's message, who (the post's author) and when, and the decision under appeal. */
    @Serdeable
    record AppealView(long id, String message, String by, Instant at, Original original) {
    }

    private final AppealRepository appeals;
    private final DecisionLookupRepository decisions;

    AppealViews(AppealRepository appeals, DecisionLookupRepository decisions) {
        this.appeals = appeals;
        this.decisions = decisions;
    }

    /** The appeals filed under these review items, by item id. */
    Map<Long, AppealView> ofItems(Collection<Long> itemIds) {
        if (itemIds.isEmpty()) {
            return Map.of();
        }
        List<AppealRepository.Appeal> found = appeals.forItems(itemIds.toArray(Long[]::new));
        Long[] decisionIds = found.stream().map(AppealRepository.Appeal::originalDecisionId).filter(Objects::nonNull)
                .distinct().toArray(Long[]::new);
        Map<Long, DecisionRow> scored = decisionIds.length == 0 ? Map.of() : decisions.decisions(decisionIds).stream()
                .collect(Collectors.toMap(DecisionRow::id, Function.identity()));
        Map<Long, AppealView> views = new HashMap<>();
        for (AppealRepository.Appeal a : found) {
            DecisionRow d = a.originalDecisionId() == null ? null : scored.get(a.originalDecisionId());
            Original original = new Original(Decision.valueOf(a.originalDecision().toUpperCase(java.util.Locale.ROOT)),
                    a.automated(), a.originalByName(), a.originalNote(), d == null ? null : d.scores(),
                    d == null ? null : d.fired(), d == null ? null : d.policyVersion());
            views.put(a.reviewItemId(), new AppealView(a.id(), a.message(), a.authorName(), a.createdAt(), original));
        }
        return views;
    }
}

package dev.parley.moderation;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** What the policy made of a post's scores, and the new-account rules that applied. */
record Verdict(Decision decision, List<Fired> fired, List<TrustRule> rules) {

    /** A threshold that a score reached; {@code level} is "flag" or "reject". */
    @Serdeable
    record Fired(String category, Double score, Double threshold, String level, String source) {
    }

    List<String> categories() {
        return fired.stream().map(Fired::category).distinct().toList();
    }
}

package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A new-account rule of the policy that applied to a decision, stored with it
 * ({@code moderation_decisions.rules}) and shown as a review reason with source {@code trust}.
 *
 * @param level      the author's trust level when the post was decided
 * @param belowLevel the policy's new-account boundary
 * @param post       for {@link Kind#REVIEW}: which of the author's posts this is (published ones before it + 1)
 * @param of         for {@link Kind#REVIEW}: how many first posts the policy reviews
 * @param summary    the rule in words, e.g. "new-account review: post 1 of first 3 at level 0"
 */
@Serdeable
record TrustRule(Kind kind, int level, int belowLevel, @Nullable Integer post, @Nullable Integer of, String summary) {

    @Serdeable
    enum Kind {
        /** The post was held for a moderator because it is among the author's first N. */
        REVIEW("new-account review"),
        /** Stricter thresholds judged the post. */
        THRESHOLDS("new-account thresholds");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        @JsonValue
        String wire() {
            return wire;
        }

        @JsonCreator
        static Kind fromWire(String value) {
            for (Kind kind : values()) {
                if (kind.wire.equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown trust rule: " + value);
        }
    }

    static TrustRule review(int level, int belowLevel, int post, int of) {
        return new TrustRule(Kind.REVIEW, level, belowLevel, post, of,
                "new-account review: post " + post + " of first " + of + " at level " + level);
    }

    static TrustRule thresholds(int level, int belowLevel) {
        return new TrustRule(Kind.THRESHOLDS, level, belowLevel, null, null,
                "new-account thresholds (level " + level + " < " + belowLevel + ")");
    }
}

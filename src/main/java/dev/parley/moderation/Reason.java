package dev.parley.moderation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Why a post is in the review queue: a threshold that fired ({@code source} "openai" or "rules"),
 * the provider being unavailable, a user's report ({@code source} "report", the text in {@code detail}),
 * or a new-account rule of the policy ({@code source} "trust", the rule in words in {@code detail}).
 */
@Serdeable
public record Reason(String source, String category, @Nullable Double score, @Nullable Double threshold,
                     @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String detail) {

    static final String PROVIDER_UNAVAILABLE = "provider unavailable";

    static final String TRUST = "trust";

    static Reason of(Verdict.Fired fired) {
        return new Reason(fired.source(), fired.category(), fired.score(), fired.threshold(), null);
    }

    static Reason of(TrustRule rule) {
        return new Reason(TRUST, rule.kind().wire(), null, null, rule.summary());
    }
}

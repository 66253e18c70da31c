package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The body of {@code GET/PUT /api/moderation/rules}. */
@Serdeable
record RuleSet(@Nullable List<RuleEntry> rules) {

    @Serdeable
    record RuleEntry(@Nullable String pattern, @Nullable String kind, @Nullable String category,
                     @Nullable Double score) {
    }
}

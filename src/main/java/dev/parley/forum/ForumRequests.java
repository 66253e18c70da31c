package dev.parley.forum;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Request bodies of the forum endpoints. Fixed rules are bean-validated here; the configurable
 * length limits of titles and bodies are checked by {@link ContentRules}.
 */
final class ForumRequests {

    private ForumRequests() {
    }

    @Serdeable
    record NewCategory(
            @NotNull @Pattern(regexp = "[a-z0-9]+(-[a-z0-9]+)*", message = "must be lowercase words joined by '-'")
            @Size(min = 2, max = 50) String slug,
            @NotBlank @Size(max = 100) String name,
            @Nullable @Size(max = 1000) String description) {
    }

    @Serdeable
    record NewThread(@NotBlank String category, @NotNull String title, @NotNull String body) {
    }

    @Serdeable
    record ThreadChange(@Nullable String title, @Nullable Boolean locked, @Nullable Boolean pinned) {
    }

    @Serdeable
    record PostBody(@NotNull String body) {
    }

    @Serdeable
    record Vote(@NotNull Integer value) {
    }
}

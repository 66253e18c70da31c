package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Request bodies of the moderation endpoints. */
final class ModerationRequests {

    private ModerationRequests() {
    }

    @Serdeable
    record Resolve(@NotBlank String action, @Nullable @Size(max = 2000) String note) {
    }

    @Serdeable
    record BulkResolve(@NotEmpty @Size(max = 100) List<@NotNull Long> ids, @NotBlank String action,
                       @Nullable @Size(max = 2000) String note) {
    }

    /** {@code locked} null means true: a moderator's level stays until a moderator changes it. */
    @Serdeable
    record TrustLevel(@Nullable Integer level, @Nullable Boolean locked) {
    }

    @Serdeable
    record Report(@NotBlank @Size(max = 1000) String reason) {
    }

    /** An author's appeal of a flag or rejection: why the decision is wrong, in their words. */
    @Serdeable
    record Appeal(@NotBlank @Size(max = 1000) String message) {
    }
}

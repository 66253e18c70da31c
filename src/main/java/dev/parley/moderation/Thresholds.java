package dev.parley.moderation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A harm category's thresholds; a null threshold never fires. */
@Serdeable
public record Thresholds(@Nullable Double flag, @Nullable Double reject) {
}

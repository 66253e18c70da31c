package dev.parley.search;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a reindex run re-embeds: {@link #ALL} published posts, or the {@link #STALE} ones, which have no
 * current vector of the run's model (none at all, or one of an older post version).
 */
enum ReindexScope {
    ALL, STALE;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ReindexScope> fromWire(String value) {
        return Arrays.stream(values()).filter(scope -> scope.wire().equals(value)).findFirst();
    }

    @Singleton
    static final class Converter extends LowercaseEnumConverter<ReindexScope> {

        Converter() {
            super(ReindexScope.class);
        }
    }
}

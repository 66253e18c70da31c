package dev.parley.search;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

import java.util.Locale;

/** Where a reindex run is; stored and shown as the lowercase name the {@code reindex_runs.state} check allows. */
enum ReindexState {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Singleton
    static final class Converter extends LowercaseEnumConverter<ReindexState> {

        Converter() {
            super(ReindexState.class);
        }
    }
}

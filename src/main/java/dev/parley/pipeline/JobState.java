package dev.parley.pipeline;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

import java.util.Locale;

/** Where a job is in its life; stored as the lowercase name the {@code jobs.state} check allows. */
enum JobState {
    QUEUED, RUNNING, SUCCEEDED, DEAD;

    @Singleton
    static final class Converter implements AttributeConverter<JobState, String> {

        @Override
        public String convertToPersistedValue(JobState state, ConversionContext context) {
            return state == null ? null : state.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public JobState convertToEntityValue(String stored, ConversionContext context) {
            return stored == null ? null : JobState.valueOf(stored.toUpperCase(Locale.ROOT));
        }
    }
}

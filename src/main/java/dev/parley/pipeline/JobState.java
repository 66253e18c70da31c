package dev.parley.pipeline;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

/** Where a job is in its life; stored as the lowercase name the {@code jobs.state} check allows. */
enum JobState {
    QUEUED, RUNNING, SUCCEEDED, DEAD,
    /** Out of attempts while a resource it needs was unavailable: waits for {@link JobQueue#resume}. */
    PARKED;

    @Singleton
    static final class Converter extends LowercaseEnumConverter<JobState> {

        Converter() {
            super(JobState.class);
        }
    }
}

package dev.parley.search;

import dev.parley.pipeline.JobKind;
import io.micronaut.serde.annotation.Serdeable;

/** The payload of a reindex job: the next batch of one run. */
@Serdeable
record ReindexTask(long runId) {

    static final JobKind<ReindexTask> KIND = JobKind.of("reindex", ReindexTask.class);
}

package dev.parley.search;

import dev.parley.pipeline.JobKind;
import io.micronaut.serde.annotation.Serdeable;

/** The payload of an embedding job: one published post version. */
@Serdeable
record EmbedTask(long postId, int version) {

    static final JobKind<EmbedTask> KIND = JobKind.of("embed", EmbedTask.class);
}

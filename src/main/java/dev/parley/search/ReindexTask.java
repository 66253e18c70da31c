package dev.parley.search;

import io.micronaut.serde.annotation.Serdeable;

/** The payload of a reindex job: the next batch of one run. */
@Serdeable
record ReindexTask(long runId) {

    static final String KIND = "reindex";
}

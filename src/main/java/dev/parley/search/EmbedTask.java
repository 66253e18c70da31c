package dev.parley.search;

import io.micronaut.serde.annotation.Serdeable;

/** The payload of an embedding job: one published post version. */
@Serdeable
record EmbedTask(long postId, int version) {

    static final String KIND = "embed";
}

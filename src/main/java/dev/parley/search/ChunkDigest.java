package dev.parley.search;

import io.micronaut.core.annotation.Introspected;

/** The digest stored for one chunk of a post: equal digests mean the chunk need not be embedded again. */
@Introspected
record ChunkDigest(long postId, int chunk, String digest) {
}

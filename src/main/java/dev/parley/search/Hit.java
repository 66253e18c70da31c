package dev.parley.search;

import io.micronaut.core.annotation.Introspected;

/** One thread found, with its best-matching published post. */
@Introspected
record Hit(long threadId, String title, String category, long postId, String snippet, double score) {
}

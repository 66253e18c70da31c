package dev.parley.search;

/** One thread found, with its best-matching published post. */
record Hit(long threadId, String title, String category, long postId, String snippet, double score) {
}

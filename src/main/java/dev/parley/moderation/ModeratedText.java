package dev.parley.moderation;

/**
 * What one moderation job judges, whichever its subject: a post version, or a title edit keyed by
 * the first post of its thread.
 *
 * @param id      the post id (for a title edit: of the thread's first post)
 * @param version the post version, or the title edit's version
 * @param text    the text scored: a post's (with its thread's title if it opens it), or the edited title alone
 */
record ModeratedText(Subject subject, long id, int version, long threadId, String categorySlug, long authorId,
                     String text) {
}

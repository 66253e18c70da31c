package dev.parley.forum;

/** A post as moderation and search see it: its text and where it lives. */
public record PostSnapshot(long id, int version, PostStatus status, boolean firstPost, String threadTitle,
                           long threadId, String categorySlug, long authorId, String body) {

    /** The text that is moderated: a thread's title counts with its first post. */
    public String text() {
        return firstPost ? threadTitle + "\n\n" + body : body;
    }
}

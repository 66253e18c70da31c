package dev.parley.forum;

import dev.parley.forum.ForumViews.PostView;

/** A post as moderation and search see it: its text, where it lives, and its public shape. */
public record PostSnapshot(long id, int version, PostStatus status, boolean firstPost, String threadTitle,
                             long threadId, String categorySlug, long authorId, PostView view) {

    /** The text that is moderated: a thread's title counts with its first post. */
    public String text() {
        return firstPost ? threadTitle + "\n\n" + view.body() : view.body();
    }
}

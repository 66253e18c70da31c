package dev.parley.forum;

import dev.parley.forum.ForumViews.PostView;

import java.time.Instant;

/** A post as moderation sees it: its text to score, where it lives, and its public shape. */
public record ReviewablePost(long id, int version, PostStatus status, boolean firstPost, String threadTitle,
                             long threadId, String categorySlug, long authorId, PostView view) {

    /** The text that is moderated: a thread's title counts with its first post. */
    public String text() {
        return firstPost ? threadTitle + "\n\n" + view.body() : view.body();
    }

    public Instant createdAt() {
        return view.createdAt();
    }
}

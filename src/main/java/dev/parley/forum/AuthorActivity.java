package dev.parley.forum;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/** An author's record in the forum, for moderation's trust levels. */
@Singleton
public class AuthorActivity {

    private final AuthorPostRepository posts;

    AuthorActivity(AuthorPostRepository posts) {
        this.posts = posts;
    }

    /**
     * How many of the author's posts are published now, not counting {@code exceptPostId} (the post
     * being decided): rejected, flagged and deleted posts earn nothing.
     */
    @Transactional(readOnly = true)
    public long publishedPosts(long authorId, long exceptPostId) {
        return posts.countPublished(authorId, exceptPostId);
    }
}

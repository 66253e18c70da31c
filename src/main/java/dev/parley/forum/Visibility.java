package dev.parley.forum;

import dev.parley.auth.Actor;

import java.util.Optional;

/** Who may see what (API.md): the public sees published content, authors their own, moderators all. */
final class Visibility {

    private Visibility() {
    }

    static boolean canSee(ForumPost post, Optional<Actor> viewer) {
        return post.status() == PostStatus.PUBLISHED || isAuthorOrStaff(post.authorId(), viewer);
    }

    static boolean canSee(ForumThread thread, Optional<Actor> viewer) {
        return canSeeThread(thread.authorId(), thread.visible(), viewer);
    }

    static boolean canSeeThread(long authorId, boolean visible, Optional<Actor> viewer) {
        return visible || isAuthorOrStaff(authorId, viewer);
    }

    static boolean isAuthorOrStaff(long authorId, Optional<Actor> viewer) {
        return viewer.map(actor -> actor.isModerator() || actor.id() == authorId).orElse(false);
    }
}

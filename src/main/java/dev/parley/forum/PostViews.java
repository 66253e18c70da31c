package dev.parley.forum;

import dev.parley.auth.Actor;
import dev.parley.forum.ForumViews.PostView;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders posts for a viewer: the moderation field only for the post's author and for moderators. */
@Singleton
class PostViews {

    private final ModerationGateway moderation;

    PostViews(ModerationGateway moderation) {
        this.moderation = moderation;
    }

    /** A post just written: nothing can have been decided on it yet, so there is no decision to read. */
    PostView ofNew(ForumPost post) {
        return PostView.of(post, null);
    }

    PostView of(ForumPost post, Optional<Actor> viewer) {
        return of(List.of(post), viewer).get(0);
    }

    List<PostView> of(List<ForumPost> posts, Optional<Actor> viewer) {
        boolean staff = viewer.map(Actor::isModerator).orElse(false);
        long viewerId = viewer.map(Actor::id).orElse(-1L);
        List<Long> entitled = posts.stream().filter(p -> staff || p.authorId() == viewerId).map(ForumPost::id).toList();
        Map<Long, ModerationSummary> summaries = entitled.isEmpty() ? Map.of()
                : moderation.summaries(entitled, staff);
        return posts.stream().map(p -> PostView.of(p, summaries.get(p.id()))).toList();
    }
}

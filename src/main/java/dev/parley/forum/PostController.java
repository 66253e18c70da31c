package dev.parley.forum;

import dev.parley.auth.Actors;
import dev.parley.forum.ForumViews.PostView;
import dev.parley.forum.ForumViews.ScoreView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

@Controller("/api/posts")
@ExecuteOn(TaskExecutors.BLOCKING)
class PostController {

    private final PostService posts;
    private final VoteService votes;
    private final Actors actors;

    PostController(PostService posts, VoteService votes, Actors actors) {
        this.posts = posts;
        this.votes = votes;
        this.actors = actors;
    }

    @Get("/{id}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    PostView get(long id, @Nullable Authentication authentication) {
        return posts.get(id, actors.optional(authentication));
    }

    @Patch("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    PostView edit(Authentication authentication, long id, @Body @Valid ForumRequests.PostBody request) {
        return posts.edit(actors.require(authentication), id, request.body());
    }

    @Delete("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<Void> delete(Authentication authentication, long id) {
        posts.delete(actors.require(authentication), id);
        return HttpResponse.noContent();
    }

    @Put("/{id}/vote")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    ScoreView vote(Authentication authentication, long id, @Body @Valid ForumRequests.Vote request) {
        return votes.vote(actors.require(authentication), id, request.value());
    }

    @Delete("/{id}/vote")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    ScoreView withdraw(Authentication authentication, long id) {
        return votes.withdraw(actors.require(authentication), id);
    }
}

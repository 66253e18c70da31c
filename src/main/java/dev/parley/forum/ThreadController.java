package dev.parley.forum;

import dev.parley.auth.Actors;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.forum.ForumViews.PostView;
import dev.parley.forum.ForumViews.ThreadView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

@Controller("/api/threads")
@ExecuteOn(TaskExecutors.BLOCKING)
class ThreadController {

    private final ThreadService threads;
    private final PostService posts;
    private final Actors actors;

    ThreadController(ThreadService threads, PostService posts, Actors actors) {
        this.threads = threads;
        this.posts = posts;
        this.actors = actors;
    }

    @Post
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<ThreadView> create(Authentication authentication, @Body @Valid ForumRequests.NewThread request) {
        return HttpResponse.created(threads.create(actors.require(authentication), request));
    }

    @Get("/{id}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    ThreadView get(long id, @Nullable Authentication authentication) {
        return actors.optional(authentication).map(viewer -> threads.get(id, viewer)).orElseGet(() -> threads.get(id));
    }

    @Patch("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    ThreadView change(Authentication authentication, long id, @Body @Valid ForumRequests.ThreadChange change) {
        return threads.change(actors.require(authentication), id, change);
    }

    @Get("/{id}/posts")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Page<PostView> posts(long id, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor,
                         @Nullable Authentication authentication) {
        return posts.list(id, PageRequest.of(limit, cursor), actors.optional(authentication));
    }

    @Post("/{id}/posts")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<PostView> reply(Authentication authentication, long id, @Body @Valid ForumRequests.PostBody request) {
        return HttpResponse.created(posts.reply(actors.require(authentication), id, request.body()));
    }
}

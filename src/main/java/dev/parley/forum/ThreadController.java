package dev.parley.forum;

import dev.parley.common.ApiErrors;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

@Controller("/api/threads")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "forum")
@ApiErrors.BadRequest
@ApiErrors.Unavailable
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
    @Operation(operationId = "createThread", summary = "Open a thread",
            description = "Creates the thread and its first post, which is `pending` until automated moderation "
                    + "publishes, holds or rejects it (nothing is public before). 404 for an unknown category.")
    @ApiResponse(responseCode = "201", description = "The thread with its `firstPost`", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.TooManyRequests
    HttpResponse<ThreadView> create(Authentication authentication, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "hello",
            value = "{\"category\": \"general\", \"title\": \"Hello Parley\", \"body\": \"What should we talk about?\"}")))
            ForumRequests.NewThread request) {
        return HttpResponse.created(threads.create(actors.require(authentication), request));
    }

    @Get("/{id}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(operationId = "getThread", summary = "Read a thread",
            description = "Anyone may read a thread; its author and staff also see a pending title edit (`pendingTitle`).")
    @ApiResponse(responseCode = "200", description = "The thread", useReturnTypeSchema = true)
    @ApiErrors.OptionalToken
    @ApiErrors.NotFound
    ThreadView get(long id, @Nullable Authentication authentication) {
        return actors.optional(authentication).map(viewer -> threads.get(id, viewer)).orElseGet(() -> threads.get(id));
    }

    @Patch("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(operationId = "changeThread", summary = "Edit a thread's title, lock or pin it",
            description = "The author may change `title` (moderated before the public sees it); moderators set "
                    + "`locked` and `pinned` and their title edits apply at once.")
    @ApiResponse(responseCode = "200", description = "The thread", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.TooManyRequests
    ThreadView change(Authentication authentication, long id, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = {
                    @ExampleObject(name = "title", value = "{\"title\": \"Hello again, Parley\"}"),
                    @ExampleObject(name = "lock", value = "{\"locked\": true}")}))
            ForumRequests.ThreadChange change) {
        return threads.change(actors.require(authentication), id, change);
    }

    @Get("/{id}/posts")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(operationId = "listThreadPosts", summary = "List a thread's posts",
            description = "A cursor page of posts, oldest first: published ones for everyone, the caller's own in "
                    + "any status, everything for staff. `limit` 1..100 (default 20).")
    @ApiResponse(responseCode = "200", description = "A page of posts", useReturnTypeSchema = true)
    @ApiErrors.OptionalToken
    @ApiErrors.NotFound
    @ApiErrors.Invalid
    Page<PostView> posts(long id, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor,
                         @Nullable Authentication authentication) {
        return posts.list(id, PageRequest.of(limit, cursor), actors.optional(authentication));
    }

    @Post("/{id}/posts")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(operationId = "replyToThread", summary = "Reply to a thread",
            description = "The reply is `pending` until automated moderation decides. 409 when the thread is locked.")
    @ApiResponse(responseCode = "201", description = "The new post", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.TooManyRequests
    HttpResponse<PostView> reply(Authentication authentication, long id, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "reply",
            value = "{\"body\": \"Vector search, obviously.\"}")))
            ForumRequests.PostBody request) {
        return HttpResponse.created(posts.reply(actors.require(authentication), id, request.body()));
    }
}

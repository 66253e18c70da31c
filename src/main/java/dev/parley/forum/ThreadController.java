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
import io.swagger.v3.oas.annotations.media.Schema;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.sse.Event;
import dev.parley.events.EventStreams;
import dev.parley.events.StreamFilter;
import org.reactivestreams.Publisher;
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
    private final EventStreams streams;

    ThreadController(ThreadService threads, PostService posts, Actors actors, EventStreams streams) {
        this.threads = threads;
        this.posts = posts;
        this.actors = actors;
        this.streams = streams;
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

    @Get(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(operationId = "streamThreadEvents", summary = "Follow a thread's public events (server-sent events)",
            description = "A `text/event-stream` of what the public may see happen in the thread: `post.published` "
                    + "(a new post, or an edit published again; `detail` is its version), `post.hidden`, `post.deleted`, "
                    + "`thread.locked`, `thread.unlocked`. Each event's `id` is its position in the outbox and its "
                    + "`data` the JSON of the event (ids, never text: read the post through the API). Send "
                    + "`Last-Event-ID` to resume after the last event received, without loss or duplicates within "
                    + "the retention. A comment line is sent every 15 s. 503 with `Retry-After` when the instance "
                    + "serves its maximum of streams; a client that falls too far behind has its stream ended and "
                    + "resumes with `Last-Event-ID`.")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string")))
    @ApiErrors.Public
    @ApiErrors.NotFound
    Publisher<Event<Object>> events(long id, @Header("Last-Event-ID") @Nullable String lastEventId) {
        Long resumeAfter = EventStreams.lastEventId(lastEventId);
        threads.get(id);   // 404 unless the public may read the thread
        return streams.open(StreamFilter.publicThread(id), resumeAfter);
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

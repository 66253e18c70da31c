package dev.parley.forum;

import dev.parley.common.ApiErrors;
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

@Controller("/api/posts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "forum")
@ApiErrors.BadRequest
@ApiErrors.NotFound
@ApiErrors.Unavailable
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
    @Operation(operationId = "getPost", summary = "Read a post",
            description = "Published posts for everyone; the author also sees their own in any status with its "
                    + "`moderation` summary; staff see everything. 404 for a post the caller may not see.")
    @ApiResponse(responseCode = "200", description = "The post", useReturnTypeSchema = true)
    @ApiErrors.OptionalToken
    PostView get(long id, @Nullable Authentication authentication) {
        return posts.get(id, actors.optional(authentication));
    }

    @Patch("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(operationId = "editPost", summary = "Edit a post (author)",
            description = "The new body goes back to `pending` and through moderation again.")
    @ApiResponse(responseCode = "200", description = "The edited post", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.TooManyRequests
    PostView edit(Authentication authentication, long id, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "edit",
            value = "{\"body\": \"Vector search, obviously. And keyword search.\"}")))
            ForumRequests.PostBody request) {
        return posts.edit(actors.require(authentication), id, request.body());
    }

    @Delete("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(operationId = "deletePost", summary = "Delete a post (author or moderator)",
            description = "A soft delete: the post's status becomes `deleted` and it leaves listings and search.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    HttpResponse<Void> delete(Authentication authentication, long id) {
        posts.delete(actors.require(authentication), id);
        return HttpResponse.noContent();
    }

    @Put("/{id}/vote")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(operationId = "votePost", summary = "Vote on a post",
            description = "`value` 1 or -1; one vote per user and post, a second PUT replaces the first. "
                    + "Nobody votes on their own post (403).")
    @ApiResponse(responseCode = "200", description = "The post's new score", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    ScoreView vote(Authentication authentication, long id, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "up", value = "{\"value\": 1}")))
            ForumRequests.Vote request) {
        return votes.vote(actors.require(authentication), id, request.value());
    }

    @Delete("/{id}/vote")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(operationId = "withdrawVote", summary = "Withdraw a vote",
            description = "Removes the caller's vote, if any.")
    @ApiResponse(responseCode = "200", description = "The post's new score", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    ScoreView withdraw(Authentication authentication, long id) {
        return votes.withdraw(actors.require(authentication), id);
    }
}

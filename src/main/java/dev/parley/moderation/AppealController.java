package dev.parley.moderation;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
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

/** A post's statement of reasons and its author's appeal (docs/api.md). */
@Controller("/api/posts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "moderation")
@ApiErrors.BadRequest
@ApiErrors.Unauthorized
@ApiErrors.NotFound
@ApiErrors.Unavailable
class AppealController {

    private final AppealService appeals;
    private final Actors actors;

    AppealController(AppealService appeals, Actors actors) {
        this.appeals = appeals;
        this.actors = actors;
    }

    @Get("/{id}/moderation")
    @Operation(operationId = "getModerationStatement", summary = "A post's statement of reasons (author, moderator)",
            description = "The post's current version and status and the decision in force with its reasons; anyone "
                    + "else gets 404.")
    @ApiResponse(responseCode = "200", description = "The statement of reasons", useReturnTypeSchema = true)
    AppealService.Statement statement(Authentication authentication, long id) {
        return appeals.statement(actors.require(authentication), id);
    }

    @Post("/{id}/appeal")
    @Operation(operationId = "appealDecision", summary = "Appeal a decision on one's post (author)",
            description = "Opens an appeal item for moderators. 409 when the post is not flagged or rejected or the "
                    + "decision was already appealed; 403 for someone else's post or a suspended author.")
    @ApiResponse(responseCode = "201", description = "The statement of reasons with the appeal", useReturnTypeSchema = true)
    @ApiErrors.Forbidden
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    HttpResponse<AppealService.Statement> appeal(Authentication authentication, long id,
                                                 @Body @Valid @RequestBody(content = @Content(
                                                         mediaType = "application/json", examples = @ExampleObject(name = "appeal",
                                                         value = "{\"message\": \"This was a quote from the film, not a threat.\"}")))
                                                 ModerationRequests.Appeal request) {
        return HttpResponse.<AppealService.Statement>status(HttpStatus.CREATED)
                .body(appeals.appeal(actors.require(authentication), id, request.message()));
    }
}

package dev.parley.moderation;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
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

@Controller("/api/posts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "moderation")
class ReportController {

    private final ReviewQueueService queue;
    private final Actors actors;

    ReportController(ReviewQueueService queue, Actors actors) {
        this.queue = queue;
        this.actors = actors;
    }

    @Post("/{id}/report")
    @Operation(operationId = "reportPost", summary = "Report a post",
            description = "Opens a review item for the post, or adds the report to its open one.")
    @ApiResponse(responseCode = "202", description = "Reported")
    @ApiErrors.BadRequest
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.TooManyRequests
    @ApiErrors.Unavailable
    HttpResponse<Void> report(Authentication authentication, long id, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "spam",
            value = "{\"reason\": \"Advertising\"}")))
            ModerationRequests.Report request) {
        queue.report(actors.require(authentication), id, request.reason());
        return HttpResponse.accepted();
    }
}

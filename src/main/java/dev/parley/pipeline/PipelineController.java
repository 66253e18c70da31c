package dev.parley.pipeline;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

@Controller("/api/admin/pipeline")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "pipeline")
@ApiErrors.Unauthorized
@ApiErrors.Forbidden
@ApiErrors.Unavailable
class PipelineController {

    private final PipelineService pipeline;
    private final Actors actors;

    PipelineController(PipelineService pipeline, Actors actors) {
        this.pipeline = pipeline;
        this.actors = actors;
    }

    @Get
    @Operation(operationId = "getPipelineStatus", summary = "The job queue (admin)",
            description = "Jobs per kind by state (queued, running, retrying, dead, parked) and the age of the oldest queued job.")
    @ApiResponse(responseCode = "200", description = "The queue's state", useReturnTypeSchema = true)
    PipelineService.Status status(Authentication authentication) {
        return pipeline.status(actors.require(authentication));
    }

    @Post("/dead/{id}/retry")
    @Operation(operationId = "retryDeadJob", summary = "Revive a dead job (admin)",
            description = "Queues the dead job again with its attempts reset.")
    @ApiResponse(responseCode = "202", description = "Queued again")
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    HttpResponse<Void> retry(Authentication authentication, long id) {
        pipeline.retryDead(actors.require(authentication), id);
        return HttpResponse.accepted();
    }
}

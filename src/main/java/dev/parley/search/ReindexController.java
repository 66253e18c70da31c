package dev.parley.search;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
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

@Controller("/api/admin/reindex")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "reindex")
@ApiErrors.Unauthorized
@ApiErrors.Forbidden
@ApiErrors.Unavailable
class ReindexController {

    private final ReindexService reindex;
    private final ReindexHistory history;
    private final Actors actors;

    ReindexController(ReindexService reindex, ReindexHistory history, Actors actors) {
        this.reindex = reindex;
        this.history = history;
        this.actors = actors;
    }

    /** Runs, newest first: the console's dashboard (docs/api.md). */
    @Get
    @Operation(operationId = "listReindexRuns", summary = "List reindex runs (admin)",
            description = "A cursor page of runs, newest first; a running one with live progress, rate and ETA.")
    @ApiResponse(responseCode = "200", description = "A page of runs", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Invalid
    Page<ReindexRun> list(Authentication authentication, @QueryValue @Nullable Integer limit,
                          @QueryValue @Nullable String cursor) {
        return history.list(actors.require(authentication), PageRequest.of(limit, cursor));
    }

    @Post
    @Operation(operationId = "startReindex", summary = "Start a reindex run (admin)",
            description = "`scope` `stale` re-embeds posts whose vector of the active model is missing or outdated; "
                    + "`all` with a `model` builds that model's vectors beside the active ones and switches search to it "
                    + "when the run succeeds. `maxPerSecond` throttles it. 409 when the model has a running run.")
    @ApiResponse(responseCode = "202", description = "The run, started", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    HttpResponse<ReindexRun> start(Authentication authentication, @Body @RequestBody(content = @Content(
            mediaType = "application/json", examples = {
                    @ExampleObject(name = "stale", value = "{\"scope\": \"stale\"}"),
                    @ExampleObject(name = "switch model",
                            value = "{\"scope\": \"all\", \"model\": \"text-embedding-3-small\", \"maxPerSecond\": 50}")}))
            ReindexService.StartRequest request) {
        return HttpResponse.accepted().body(reindex.start(actors.require(authentication), request));
    }

    @Get("/{id}")
    @Operation(operationId = "getReindexRun", summary = "A reindex run's progress (admin)",
            description = "`total`, `done`, `failed`, `perSecond` and `etaSeconds` of the run.")
    @ApiResponse(responseCode = "200", description = "The run", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    ReindexRun get(Authentication authentication, long id) {
        return reindex.get(actors.require(authentication), id);
    }

    @Delete("/{id}")
    @Operation(operationId = "cancelReindexRun", summary = "Cancel a reindex run (admin)",
            description = "Stops the run after its current batch; a finished run is answered as it is.")
    @ApiResponse(responseCode = "200", description = "The run", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    ReindexRun cancel(Authentication authentication, long id) {
        return reindex.cancel(actors.require(authentication), id);
    }
}

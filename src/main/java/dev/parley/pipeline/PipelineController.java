package dev.parley.pipeline;

import dev.parley.auth.Actors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

@Controller("/api/admin/pipeline")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class PipelineController {

    private final PipelineService pipeline;
    private final Actors actors;

    PipelineController(PipelineService pipeline, Actors actors) {
        this.pipeline = pipeline;
        this.actors = actors;
    }

    @Get
    PipelineService.Status status(Authentication authentication) {
        return pipeline.status(actors.require(authentication));
    }

    @Post("/dead/{id}/retry")
    HttpResponse<Void> retry(Authentication authentication, long id) {
        pipeline.retryDead(actors.require(authentication), id);
        return HttpResponse.accepted();
    }
}

package dev.parley.search;

import dev.parley.auth.Actors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

@Controller("/api/admin/reindex")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ReindexController {

    private final ReindexService reindex;
    private final Actors actors;

    ReindexController(ReindexService reindex, Actors actors) {
        this.reindex = reindex;
        this.actors = actors;
    }

    @Post
    HttpResponse<ReindexRun> start(Authentication authentication, @Body ReindexService.StartRequest request) {
        return HttpResponse.accepted().body(reindex.start(actors.require(authentication), request));
    }

    @Get("/{id}")
    ReindexRun get(Authentication authentication, long id) {
        return reindex.get(actors.require(authentication), id);
    }

    @Delete("/{id}")
    ReindexRun cancel(Authentication authentication, long id) {
        return reindex.cancel(actors.require(authentication), id);
    }
}

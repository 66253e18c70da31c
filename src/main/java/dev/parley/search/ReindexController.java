package dev.parley.search;

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
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

@Controller("/api/admin/reindex")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ReindexController {

    private final ReindexService reindex;
    private final ReindexHistory history;
    private final Actors actors;

    ReindexController(ReindexService reindex, ReindexHistory history, Actors actors) {
        this.reindex = reindex;
        this.history = history;
        this.actors = actors;
    }

    /** Runs, newest first: the console's dashboard (docs/api-additions.md). */
    @Get
    Page<ReindexRun> list(Authentication authentication, @QueryValue @Nullable Integer limit,
                          @QueryValue @Nullable String cursor) {
        return history.list(actors.require(authentication), PageRequest.of(limit, cursor));
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

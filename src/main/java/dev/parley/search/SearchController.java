package dev.parley.search;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

@Controller("/api")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class SearchController {

    private final SearchService search;

    SearchController(SearchService search) {
        this.search = search;
    }

    @Get("/search")
    SearchService.Results search(@QueryValue @Nullable String q, @QueryValue @Nullable String mode,
                                 @QueryValue @Nullable String category, @QueryValue @Nullable Integer limit) {
        return search.search(q, mode, category, limit);
    }

    @Get("/threads/{id}/related")
    SearchService.RelatedResults related(long id, @QueryValue @Nullable Integer limit) {
        return search.related(id, limit);
    }
}

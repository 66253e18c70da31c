package dev.parley.search;

import dev.parley.common.ApiErrors;
import dev.parley.abuse.ClientAddresses;
import dev.parley.abuse.SearchLimits;
import dev.parley.auth.Actor;
import dev.parley.auth.Actors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.SupplierUtil;
import dev.parley.common.WalPosition;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.Optional;
import java.util.function.Supplier;

@Controller("/api")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "search")
@ApiErrors.BadRequest
@ApiErrors.Invalid
@ApiErrors.Unavailable
class SearchController {

    private final SearchService search;
    private final SearchLimits limits;
    private final ClientAddresses clientAddresses;
    private final Actors actors;

    SearchController(SearchService search, SearchLimits limits, ClientAddresses clientAddresses, Actors actors) {
        this.search = search;
        this.limits = limits;
        this.clientAddresses = clientAddresses;
        this.actors = actors;
    }

    /**
     * A search charges the caller's search budget (429 past the limit) only when the model is about
     * to embed its query, outside the search's transaction so that the charge commits before the
     * model runs: keyword searches and queries the query cache answers run no model and are free.
     */
    @Get("/search")
    @Operation(operationId = "search", summary = "Search threads",
            description = "Threads best first, each at most once with its best-matching published post. `mode` is "
                    + "`semantic` (default), `keyword` (PostgreSQL full text, `websearch_to_tsquery` syntax) or `hybrid`; "
                    + "`limit` 1..50 (default 10). Semantic and hybrid searches are rate limited: per member with a "
                    + "token, else per client address (429). Added: `author` (a username), `since` and `until` "
                    + "(ISO-8601 instants; since inclusive, until exclusive) narrow the search to posts by that "
                    + "member and written in that range, like `category` in every mode; the returned post always "
                    + "satisfies them. `cursor` is a previous page's `nextCursor` for the next page (same q, mode "
                    + "and filters; up to 500 threads in all). Each post has a `highlight`: the matching passage as "
                    + "plain text and the query's words in it as UTF-16 offsets. Semantic matches below the score "
                    + "floor are left out; `noGoodMatch` is true when the first page is empty.")
    @ApiResponse(responseCode = "200", description = "The matching threads", useReturnTypeSchema = true)
    @ApiErrors.OptionalToken
    @ApiErrors.TooManyRequests
    SearchService.Results search(HttpRequest<?> http, @Nullable Authentication authentication,
                                 @QueryValue @Nullable String q, @QueryValue @Nullable String mode,
                                 @QueryValue @Nullable String category, @QueryValue @Nullable Integer limit,
                                 @QueryValue @Nullable String author, @QueryValue @Nullable String since,
                                 @QueryValue @Nullable String until, @QueryValue @Nullable String cursor) {
        // The caller's account is read at most once, and only when needed: for the rate limit of a model
        // inference, or for where the search's reads may run when a replica is configured.
        Supplier<Optional<Actor>> caller = SupplierUtil.memoized(() -> actors.optional(authentication));
        return search.search(q, mode, limit, new SearchService.Narrowing(category, author, since, until, cursor),
                () -> caller.get().map(Actor::lastWrite).orElse(WalPosition.START), () -> {
            Optional<Actor> charged = caller.get();
            limits.charge(clientAddresses.of(http), charged.map(Actor::id).orElse(null),
                    charged.map(Actor::isModerator).orElse(false));
        });
    }

    /** Not limited: it reads the thread's stored vector, no model runs. */
    @Get("/threads/{id}/related")
    @Operation(operationId = "relatedThreads", summary = "Threads related to a thread",
            description = "Threads nearest to this one's stored vector, best first; `limit` 1..50 (default 10). "
                    + "Runs no model, so it is not rate limited.")
    @ApiResponse(responseCode = "200", description = "The related threads", useReturnTypeSchema = true)
    @ApiErrors.Public
    @ApiErrors.NotFound
    SearchService.RelatedResults related(long id, @QueryValue @Nullable Integer limit) {
        return search.related(id, limit);
    }
}

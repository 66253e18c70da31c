package dev.parley.forum;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import dev.parley.common.Page;
import dev.parley.common.PageRequest;
import dev.parley.forum.ForumViews.ThreadView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
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
import jakarta.validation.Valid;

import java.util.List;

@Controller("/api/categories")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "forum")
@ApiErrors.Unavailable
class CategoryController {

    private final CategoryService categories;
    private final ThreadService threads;
    private final Actors actors;

    CategoryController(CategoryService categories, ThreadService threads, Actors actors) {
        this.categories = categories;
        this.threads = threads;
        this.actors = actors;
    }

    @Get
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(operationId = "listCategories", summary = "List the forum categories",
            description = "Every category, for anyone.")
    @ApiResponse(responseCode = "200", description = "All categories", useReturnTypeSchema = true)
    @ApiErrors.Public
    List<Category> list() {
        return categories.list();
    }

    @Post
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Operation(operationId = "createCategory", summary = "Create a category (admin)",
            description = "409 when the slug is taken.")
    @ApiResponse(responseCode = "201", description = "The new category", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    HttpResponse<Category> create(Authentication authentication, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "town-hall",
            value = "{\"slug\": \"town-hall\", \"name\": \"Town hall\", \"description\": \"Talk about the forum itself\"}")))
            ForumRequests.NewCategory request) {
        return HttpResponse.created(categories.create(actors.require(authentication), request));
    }

    @Get("/{slug}/threads")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(operationId = "listCategoryThreads", summary = "List a category's threads",
            description = "A cursor page of threads, pinned first, then by `lastActivityAt`, newest first. "
                    + "`limit` 1..100 (default 20); `cursor` is the previous page's `nextCursor`.")
    @ApiResponse(responseCode = "200", description = "A page of threads", useReturnTypeSchema = true)
    @ApiErrors.Public
    @ApiErrors.BadRequest
    @ApiErrors.NotFound
    @ApiErrors.Invalid
    Page<ThreadView> threads(String slug, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return threads.list(slug, PageRequest.of(limit, cursor));
    }
}

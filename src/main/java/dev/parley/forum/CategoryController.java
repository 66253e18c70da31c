package dev.parley.forum;

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
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

import java.util.List;

@Controller("/api/categories")
@ExecuteOn(TaskExecutors.BLOCKING)
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
    List<Category> list() {
        return categories.list();
    }

    @Post
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<Category> create(Authentication authentication, @Body @Valid ForumRequests.NewCategory request) {
        return HttpResponse.created(categories.create(actors.require(authentication), request));
    }

    @Get("/{slug}/threads")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Page<ThreadView> threads(String slug, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return threads.list(slug, PageRequest.of(limit, cursor));
    }
}

package dev.parley.moderation;

import dev.parley.auth.Actors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

/** A post's statement of reasons and its author's appeal (docs/api-additions.md). */
@Controller("/api/posts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class AppealController {

    private final AppealService appeals;
    private final Actors actors;

    AppealController(AppealService appeals, Actors actors) {
        this.appeals = appeals;
        this.actors = actors;
    }

    @Get("/{id}/moderation")
    AppealService.Statement statement(Authentication authentication, long id) {
        return appeals.statement(actors.require(authentication), id);
    }

    @Post("/{id}/appeal")
    HttpResponse<AppealService.Statement> appeal(Authentication authentication, long id,
                                                 @Body @Valid ModerationRequests.Appeal request) {
        return HttpResponse.<AppealService.Statement>status(HttpStatus.CREATED)
                .body(appeals.appeal(actors.require(authentication), id, request.message()));
    }
}

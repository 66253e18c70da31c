package dev.parley.moderation;

import dev.parley.auth.Actors;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

@Controller("/api/posts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class ReportController {

    private final ReviewQueueService queue;
    private final Actors actors;

    ReportController(ReviewQueueService queue, Actors actors) {
        this.queue = queue;
        this.actors = actors;
    }

    @Post("/{id}/report")
    HttpResponse<Void> report(Authentication authentication, long id, @Body @Valid ModerationRequests.Report request) {
        queue.report(actors.require(authentication), id, request.reason());
        return HttpResponse.accepted();
    }
}

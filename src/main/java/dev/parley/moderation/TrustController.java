package dev.parley.moderation;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import dev.parley.auth.UserView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Put;
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

/**
 * {@code PUT /api/admin/users/{username}/trust-level} (docs/api.md). Served here rather
 * than beside the other account actions because it is audited in the moderation audit, which the
 * auth feature cannot reach. Roles are checked by the service against the database.
 */
@Controller("/api/admin/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "moderation")
class TrustController {

    private final TrustService trust;
    private final Actors actors;

    TrustController(TrustService trust, Actors actors) {
        this.trust = trust;
        this.actors = actors;
    }

    @Put("/{username}/trust-level")
    @Operation(operationId = "setTrustLevel", summary = "Set a user's trust level (moderator)",
            description = "`level` 0..3; `locked` (default true) keeps automatic rises from changing it. 403 for targets "
                    + "whose role is not below the caller's.")
    @ApiResponse(responseCode = "200", description = "The user with the new level", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.Unavailable
    UserView setTrustLevel(Authentication authentication, String username, @Body @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "trusted",
            value = "{\"level\": 3, \"locked\": true}")))
            ModerationRequests.TrustLevel request) {
        return trust.set(actors.require(authentication), username, request.level(), request.locked());
    }
}

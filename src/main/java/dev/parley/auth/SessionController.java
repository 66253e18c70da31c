package dev.parley.auth;

import dev.parley.common.ApiErrors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/**
 * Logout. Open to anonymous callers because a client whose access token has expired logs out with
 * its refresh token alone; with a bearer token, that token's session ends.
 */
@Controller("/api/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "auth")
@ApiErrors.OptionalToken
@ApiErrors.Unavailable
class SessionController {

    private final AccountService accounts;
    private final Actors actors;

    SessionController(AccountService accounts, Actors actors) {
        this.accounts = accounts;
        this.actors = actors;
    }

    @Post("/logout")
    @Operation(operationId = "logout", summary = "Log out: revoke the session",
            description = "Revokes the session of the bearer token and/or of the `refresh_token` in the body: its "
                    + "refresh tokens stop working and so do its access tokens, from the next request. Other "
                    + "sessions of the account (other devices) go on. 401 when neither names a session.")
    @ApiResponse(responseCode = "204", description = "The session is revoked")
    @ApiErrors.BadRequest
    @ApiErrors.Unauthorized
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    HttpResponse<Void> logout(@Nullable Authentication authentication, @Body @Nullable @Valid @RequestBody(
            required = false, content = @Content(mediaType = "application/json", examples = @ExampleObject(
            name = "refresh token", value = "{\"refresh_token\": \"3q2-7w...\"}")))
            AccountRequests.Logout request) {
        accounts.logout(actors.session(authentication), request == null ? null : request.refreshToken());
        return HttpResponse.noContent();
    }
}

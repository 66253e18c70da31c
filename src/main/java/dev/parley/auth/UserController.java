package dev.parley.auth;

import dev.parley.common.ApiErrors;
import dev.parley.abuse.ClientAddresses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
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

/** The caller's own account and the staff actions on other accounts. Roles are checked by the service. */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "auth")
@ApiErrors.Unauthorized
@ApiErrors.Unavailable
class UserController {

    private final AccountService accounts;
    private final Actors actors;
    private final ClientAddresses clientAddresses;

    UserController(AccountService accounts, Actors actors, ClientAddresses clientAddresses) {
        this.accounts = accounts;
        this.actors = actors;
        this.clientAddresses = clientAddresses;
    }

    @Get("/me")
    @Operation(operationId = "getMe", summary = "The caller's account",
            description = "The caller's `User`, with email and trust level.")
    @ApiResponse(responseCode = "200", description = "The caller's account", useReturnTypeSchema = true)
    UserView me(Authentication authentication) {
        return accounts.me(actors.require(authentication));
    }

    @Put("/me/password")
    @Operation(operationId = "changePassword", summary = "Change the caller's password",
            description = "Needs the current password (403 when wrong; failures count against the login limits, "
                    + "429). Every other session of the account is revoked (their access and refresh tokens stop "
                    + "working); the caller's session goes on. 409 for an account of an identity provider.")
    @ApiResponse(responseCode = "204", description = "The password is changed and the other sessions are revoked")
    @ApiErrors.BadRequest
    @ApiErrors.Forbidden
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.TooManyRequests
    HttpResponse<Void> changePassword(HttpRequest<?> http, Authentication authentication,
                                      @Body @Valid @RequestBody(content = @Content(mediaType = "application/json",
                                              examples = @ExampleObject(name = "change", value = "{\"currentPassword\": "
                                                      + "\"correct horse battery\", \"newPassword\": \"battery staple horse\"}")))
                                      AccountRequests.ChangePassword request) {
        accounts.changePassword(actors.require(authentication), actors.session(authentication), request,
                clientAddresses.of(http));
        return HttpResponse.noContent();
    }

    @Delete("/me")
    @Operation(operationId = "deleteMe", summary = "Delete the caller's account",
            description = "Needs the password (403 when wrong; not for accounts of an identity provider). Removes "
                    + "the email, the password and the username (posts then show the author as `[deleted]`), "
                    + "revokes every session; the account can no longer sign in. Posts stay published and "
                    + "searchable. 409 for the last admin.")
    @ApiResponse(responseCode = "204", description = "The account is deleted")
    @ApiErrors.BadRequest
    @ApiErrors.Forbidden
    @ApiErrors.Conflict
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    @ApiErrors.TooManyRequests
    HttpResponse<Void> deleteMe(HttpRequest<?> http, Authentication authentication,
                                @Body @Nullable @Valid @RequestBody(required = false, content = @Content(
                                        mediaType = "application/json", examples = @ExampleObject(name = "password",
                                        value = "{\"password\": \"correct horse battery\"}")))
                                AccountRequests.DeleteAccount request) {
        accounts.deleteOwn(actors.require(authentication), request == null ? null : request.password(),
                clientAddresses.of(http));
        return HttpResponse.noContent();
    }

    @Delete("/admin/users/{username}")
    @Operation(operationId = "deleteUser", summary = "Delete a user's account (admin)",
            description = "As `DELETE /api/me` does, without the password. 409 for the caller's own account "
                    + "(use `DELETE /api/me`) and for the last admin.")
    @ApiResponse(responseCode = "204", description = "The account is deleted")
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    HttpResponse<Void> deleteUser(Authentication authentication, String username) {
        accounts.deleteByAdmin(actors.require(authentication), username);
        return HttpResponse.noContent();
    }

    @Put("/admin/users/{username}/role")
    @Operation(operationId = "changeUserRole", summary = "Change a user's role (admin)",
            description = "Sets `member`, `moderator` or `admin`; applies to the user's very next request.")
    @ApiResponse(responseCode = "200", description = "The user with the new role", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    UserView changeRole(Authentication authentication, String username,
                        @Body @Valid @RequestBody(content = @Content(mediaType = "application/json",
                                examples = @ExampleObject(name = "moderator", value = "{\"role\": \"moderator\"}")))
                        AccountRequests.ChangeRole request) {
        return accounts.changeRole(actors.require(authentication), username, request.role());
    }

    @Post("/admin/users/{username}/suspend")
    @Operation(operationId = "suspendUser", summary = "Suspend a user (moderator)",
            description = "A suspended user can read but not write (403). The optional `reason` is audited. "
                    + "403 for a target whose role is not below the caller's.")
    @ApiResponse(responseCode = "200", description = "The suspended user", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    @ApiErrors.TooLarge
    @ApiErrors.Invalid
    UserView suspend(Authentication authentication, String username,
                     @Body @Nullable @Valid AccountRequests.Suspend request) {
        return accounts.setSuspended(actors.require(authentication), username, true,
                request == null ? null : request.reason());
    }

    @Delete("/admin/users/{username}/suspend")
    @Operation(operationId = "liftSuspension", summary = "Lift a user's suspension (moderator)",
            description = "The user may write again from their next request.")
    @ApiResponse(responseCode = "200", description = "The user, no longer suspended", useReturnTypeSchema = true)
    @ApiErrors.Forbidden
    @ApiErrors.NotFound
    UserView lift(Authentication authentication, String username) {
        return accounts.setSuspended(actors.require(authentication), username, false, null);
    }
}

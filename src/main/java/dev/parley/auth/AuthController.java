package dev.parley.auth;

import dev.parley.abuse.ClientAddresses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import dev.parley.common.ApiErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

@Controller("/api/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "auth")
@ApiErrors.Public
@ApiErrors.BadRequest
@ApiErrors.TooLarge
@ApiErrors.Invalid
@ApiErrors.TooManyRequests
@ApiErrors.Unavailable
class AuthController {

    private final AccountService accounts;
    private final ClientAddresses clientAddresses;

    AuthController(AccountService accounts, ClientAddresses clientAddresses) {
        this.accounts = accounts;
        this.clientAddresses = clientAddresses;
    }

    @Post("/register")
    @Operation(operationId = "register", summary = "Register a member account",
            description = "Creates a member. 409 when the username or email is taken; 422 also when the moderation "
                    + "policy would flag or reject the username; 429 once the client address used its registration budget.")
    @ApiResponse(responseCode = "201", description = "The new account", useReturnTypeSchema = true)
    @ApiErrors.Conflict
    HttpResponse<UserView> register(HttpRequest<?> http, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "alice",
            value = "{\"username\": \"alice\", \"email\": \"alice@example.com\", \"password\": \"correct horse battery\"}")))
            AccountRequests.Register request) {
        return HttpResponse.created(accounts.register(request, clientAddresses.of(http)));
    }

    @Post("/login")
    @Operation(operationId = "login", summary = "Log in for a bearer token",
            description = "Checks the password and answers a JWT for the `Authorization: Bearer` header. "
                    + "401 on bad credentials; 429 when the address or the account failed too often.")
    @ApiResponse(responseCode = "200", description = "The access token and the caller's roles", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    TokenIssuer.AccessToken login(HttpRequest<?> http, @Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "alice",
            value = "{\"username\": \"alice\", \"password\": \"correct horse battery\"}")))
            AccountRequests.Login request) {
        return accounts.login(request, clientAddresses.of(http));
    }

    @Post("/refresh")
    @Operation(operationId = "refresh", summary = "Renew the access token with a refresh token",
            description = "Exchanges the `refresh_token` of a login (or of the last refresh) for a new access token "
                    + "and the session's next refresh token, in the login's shape. Each refresh token works once: "
                    + "401 for an unknown, expired or revoked one, and one presented again after its use also "
                    + "revokes its whole session (someone else holds a copy).")
    @ApiResponse(responseCode = "200", description = "A new access token and the next refresh token", useReturnTypeSchema = true)
    @ApiErrors.Unauthorized
    TokenIssuer.AccessToken refresh(@Body @Valid @RequestBody(content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "refresh",
            value = "{\"refresh_token\": \"3q2-7w...\"}")))
            AccountRequests.Refresh request) {
        return accounts.refresh(request.refreshToken());
    }
}

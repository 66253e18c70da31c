package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;
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
import jakarta.validation.Valid;

/** The caller's own account and the staff actions on other accounts. Roles are checked by the service. */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class UserController {

    private final AccountService accounts;
    private final Actors actors;

    UserController(AccountService accounts, Actors actors) {
        this.accounts = accounts;
        this.actors = actors;
    }

    @Get("/me")
    UserView me(Authentication authentication) {
        return accounts.me(actors.require(authentication));
    }

    @Put("/admin/users/{username}/role")
    UserView changeRole(Authentication authentication, String username,
                        @Body @Valid AccountRequests.ChangeRole request) {
        return accounts.changeRole(actors.require(authentication), username, request.role());
    }

    @Post("/admin/users/{username}/suspend")
    UserView suspend(Authentication authentication, String username,
                     @Body @Nullable @Valid AccountRequests.Suspend request) {
        return accounts.setSuspended(actors.require(authentication), username, true,
                request == null ? null : request.reason());
    }

    @Delete("/admin/users/{username}/suspend")
    UserView lift(Authentication authentication, String username) {
        return accounts.setSuspended(actors.require(authentication), username, false, null);
    }
}

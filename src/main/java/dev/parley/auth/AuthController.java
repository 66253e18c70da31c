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
import jakarta.validation.Valid;

@Controller("/api/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class AuthController {

    private final AccountService accounts;
    private final ClientAddresses clientAddresses;

    AuthController(AccountService accounts, ClientAddresses clientAddresses) {
        this.accounts = accounts;
        this.clientAddresses = clientAddresses;
    }

    @Post("/register")
    HttpResponse<UserView> register(HttpRequest<?> http, @Body @Valid AccountRequests.Register request) {
        return HttpResponse.created(accounts.register(request, clientAddresses.of(http)));
    }

    @Post("/login")
    TokenIssuer.AccessToken login(HttpRequest<?> http, @Body @Valid AccountRequests.Login request) {
        return accounts.login(request, clientAddresses.of(http));
    }
}

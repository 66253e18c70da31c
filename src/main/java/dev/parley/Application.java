package dev.parley;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.tags.Tag;

@OpenAPIDefinition(
        info = @Info(title = "Parley", version = "0.1.0",
                description = "Forum backend with automated moderation and semantic search. JSON in and out; "
                        + "errors are `application/problem+json` (the `Problem` schema). The reference is docs/api.md "
                        + "in the repository."),
        // Relative: the service that serves this document; a client of another host sets its own base URL.
        servers = @Server(url = "/", description = "The Parley instance that served this document"),
        tags = {
                @Tag(name = "auth", description = "Registration, login, the caller's account and staff actions on accounts"),
                @Tag(name = "forum", description = "Categories, threads, posts and votes"),
                @Tag(name = "search", description = "Threads found by meaning, by keyword or both, and related threads"),
                @Tag(name = "moderation", description = "Reports, the review queue, policy, rules, statistics, audit, "
                        + "calibration, transparency export, statements of reasons and appeals, trust levels"),
                @Tag(name = "pipeline", description = "The background job queue (admin)"),
                @Tag(name = "reindex", description = "Re-embedding posts and switching embedding models (admin)"),
                @Tag(name = "console", description = "The moderator web console's page and assets")
        })
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The `access_token` of `POST /api/auth/login`")
public class Application {
    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}

package dev.parley.moderation;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.io.InputStream;

/** The transparency export (docs/api.md); the admin role is checked by the service. */
@Controller("/api/moderation/decisions")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "moderation")
class TransparencyExportController {

    static final String NDJSON = "application/x-ndjson";

    private final TransparencyExport export;
    private final Actors actors;

    TransparencyExportController(TransparencyExport export, Actors actors) {
        this.export = export;
        this.actors = actors;
    }

    /** Every restriction of a post in [since, until) as a DSA statement of reasons, one JSON line each, streamed (admin). */
    @Get(value = "/export", produces = {NDJSON, MediaType.APPLICATION_JSON})
    @Operation(operationId = "exportDecisions", summary = "Transparency export (admin)",
            description = "Every restriction of a post between `since` and `until` as a DSA statement of reasons, one "
                    + "JSON object per line (`application/x-ndjson`), streamed.")
    @ApiResponse(responseCode = "200", description = "One statement of reasons per line",
            content = @Content(mediaType = NDJSON, schema = @Schema(type = "string")))
    @ApiErrors.BadRequest
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.Invalid
    @ApiErrors.Unavailable
    HttpResponse<InputStream> export(Authentication authentication, @QueryValue @Nullable String since,
                                     @QueryValue @Nullable String until) {
        InputStream lines = export.export(actors.require(authentication), QueryValues.instant("since", since),
                QueryValues.instant("until", until));
        return HttpResponse.ok(lines).contentType(NDJSON).header("Cache-Control", "no-store");
    }
}
